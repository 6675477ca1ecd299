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

/**
 * A draft of what is typed into `fields`: given back to them now if one was kept, and kept again
 * at every keystroke. Returns the draft, to drop once saved.
 */
export function draftOfFields(
  key: string,
  fields: Readonly<Record<string, HTMLInputElement | HTMLTextAreaElement>>,
): Draft<Readonly<Record<string, string>>> {
  const draft = new Draft<Readonly<Record<string, string>>>(key)
  const kept = draft.value
  const keep = () => {
    draft.keep(Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.value])))
  }
  for (const [name, field] of Object.entries(fields)) {
    const value = kept?.[name]
    if (value !== undefined) field.value = value
    field.addEventListener('input', keep)
  }
  return draft
}
