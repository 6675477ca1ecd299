import { page } from '../state.ts'

/**
 * What is being written in a form of the reader and not saved yet: a case story, a translation, a
 * review note. The reader is drawn again from the server after every save made on it (a consent,
 * an incident, a status), and a half-written story would go with the old screen; the form gives
 * its draft back when it is drawn again. Drafts live in the page's memory only, never in storage,
 * and are dropped with everything else at the lock (state.ts `forget`).
 */
export class Draft<T extends object> {
  readonly #key: string

  /** `key` names the form and whose it is, e.g. `story:<respondent>`. */
  constructor(key: string) {
    this.#key = key
  }

  /** The draft kept for this form, if any. */
  get value(): T | null {
    return (page.drafts.get(this.#key) as T | undefined) ?? null
  }

  keep(value: T): void {
    page.drafts.set(this.#key, value)
  }

  /** Once saved, or abandoned: the form shows what the server holds. */
  drop(): void {
    page.drafts.delete(this.#key)
  }
}
