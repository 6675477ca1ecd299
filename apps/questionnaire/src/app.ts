import {
  isAmanatError,
  pruneAnswers,
  textIn,
  validateAnswers,
  visibleQuestions,
  type AnswerProblem,
  type Item,
  type MultilingualText,
  type Question,
  type Questionnaire,
} from '@amanat/domain'
import { formatFingerprint } from '@amanat/crypto'
import { holdFile, isRefusal, type AttachmentQuestion } from './attachments.ts'
import { h, on } from './dom.ts'
import { directionOf, formatBytes, pickLanguage, translate } from './i18n/i18n.ts'
import { CHROME_LANGUAGES, LANGUAGE_NAMES, type MessageKey } from './i18n/messages.ts'
import { parseInviteCode, takePageRequest, type Invite, type PageRequest } from './invite.ts'
import type { Limits } from './limits.ts'
import { referencedFiles } from './plaintext.ts'
import type { FileHandler, Translate } from './render/context.ts'
import { dateExamples } from './render/date.ts'
import { domIdOf, renderSection } from './render/section.ts'
import { sendAnswers, type SendStep } from './send-flow.ts'
import { AnswerMemory, onDoubleEscape, parseAnswerPath, quickExit } from './state.ts'
import type { Transport } from './transport.ts'
import { fetchSignedQuestionnaire, verifySignedQuestionnaire, type VerifiedQuestionnaire } from './verify.ts'

/**
 * The page as a small state machine over six screens: invite code, loading, a problem, the
 * questionnaire (one section per page), sending, thanks. Everything lives in this object's memory;
 * each screen is rebuilt from it.
 */

/** What the app needs from the browser (so a test could drive it elsewhere). */
export interface AppDeps {
  readonly root: HTMLElement
  readonly transport: Transport
  readonly limits: Limits
  readonly quickExitUrl: string
  /** The browser's preferred languages, best first. */
  readonly preferredLanguages: readonly string[]
}

type Screen =
  | { readonly kind: 'invite'; readonly problem: 'code' | 'link' | null }
  | { readonly kind: 'loading' }
  | { readonly kind: 'problem'; readonly message: MessageKey; readonly retry: (() => void) | null }
  | { readonly kind: 'questions'; readonly section: number; readonly errors: ReadonlyMap<string, string>; readonly summary: string | null }
  | { readonly kind: 'sending'; readonly step: SendStep | null; readonly failure: MessageKey | null }
  | { readonly kind: 'thanks' }

export class App {
  private readonly memory = new AnswerMemory()
  private language: string
  private screen: Screen = { kind: 'loading' }
  private invite: Invite | null = null
  private verified: VerifiedQuestionnaire | null = null
  private preview = false
  private readonly main: HTMLElement
  private readonly languageSelect: HTMLSelectElement
  private readonly languageLabel: HTMLLabelElement
  private readonly exitButton: HTMLButtonElement
  private readonly exitHint: HTMLElement

  private readonly deps: AppDeps

  constructor(deps: AppDeps) {
    this.deps = deps
    this.language = pickLanguage(CHROME_LANGUAGES, deps.preferredLanguages, 'en')
    this.exitHint = h('span', { id: 'quick-exit-hint', class: 'visually-hidden' })
    this.exitButton = on(h('button', { type: 'button', class: 'exit', 'aria-describedby': this.exitHint.id }), 'click', () =>
      this.exit(),
    )
    this.languageSelect = on(h('select', { id: 'language' }), 'change', () => this.setLanguage(this.languageSelect.value))
    this.languageLabel = h('label', { for: 'language' })
    this.main = h('main', { id: 'main', class: 'page' })
    const bar = h(
      'header',
      { class: 'topbar' },
      this.exitButton,
      this.exitHint,
      h('div', { class: 'language' }, this.languageLabel, this.languageSelect),
    )
    deps.root.replaceChildren(bar, this.main)
    onDoubleEscape(document, () => this.exit())
    // A second invite link opened in the same tab changes only the fragment (no reload): start
    // over for it, forgetting the first one's answers.
    window.addEventListener('hashchange', () => {
      if (window.location.hash.length <= 1) return
      this.memory.clear()
      this.invite = null
      this.verified = null
      this.preview = false
      this.start()
    })
  }

  /** Reads the address bar (and removes the invite from it), then shows the first screen. */
  start(request: PageRequest = takePageRequest(window)): void {
    switch (request.kind) {
      case 'invite':
        void this.load(request.invite.questionnaireId, request.invite)
        return
      case 'preview':
        this.preview = true
        void this.load(request.questionnaireId, null)
        return
      case 'none':
        this.show({ kind: 'invite', problem: null })
        return
      case 'malformed':
        this.show({ kind: 'invite', problem: 'link' })
        return
    }
  }

  private readonly t: Translate = (key, params) => translate(this.language, key, params)

  private exit(): void {
    this.invite = null
    this.verified = null
    quickExit(this.memory, { document, location: window.location }, this.deps.quickExitUrl)
  }

  private setLanguage(language: string): void {
    this.language = language
    this.render(null)
  }

  private show(screen: Screen, focusId: string | null = 'screen-heading'): void {
    this.screen = screen
    this.render(focusId)
  }

  // ---------------------------------------------------------------------------------------- chrome

  private renderChrome(): void {
    const root = document.documentElement
    root.lang = this.language
    root.dir = directionOf(this.language)
    this.exitButton.textContent = this.t('quickExit')
    this.exitHint.textContent = this.t('quickExitHint')
    this.languageLabel.textContent = this.t('languageLabel')
    const languages = this.verified?.questionnaire.languages ?? CHROME_LANGUAGES
    this.languageSelect.replaceChildren(
      ...languages.map((code) =>
        h(
          'option',
          { value: code, lang: code, dir: directionOf(code), selected: code === this.language },
          LANGUAGE_NAMES[code] ?? code,
        ),
      ),
    )
  }

  private render(focusId: string | null): void {
    this.renderChrome()
    const content = this.renderScreen()
    this.main.replaceChildren(...content)
    if (focusId === null) return
    const target = document.getElementById(focusId) ?? document.getElementById('screen-heading')
    target?.focus()
  }

  private heading(text: string, level: 'h1' | 'h2' = 'h1'): HTMLElement {
    return h(level, { id: 'screen-heading', tabindex: -1 }, text)
  }

  private renderScreen(): HTMLElement[] {
    const screen = this.screen
    switch (screen.kind) {
      case 'invite':
        return this.renderInviteForm(screen.problem)
      case 'loading':
        return [this.heading(this.t('loading'))]
      case 'problem':
        return [
          this.heading(this.t(screen.message)),
          ...(screen.retry === null
            ? []
            : [h('div', { class: 'actions' }, on(h('button', { type: 'button', class: 'primary' }, this.t('tryAgain')), 'click', screen.retry))]),
        ]
      case 'questions':
        return this.renderQuestions(screen.section, screen.errors, screen.summary)
      case 'sending':
        return this.renderSending(screen.step, screen.failure)
      case 'thanks':
        // The same words for every submission: nothing here proves participation.
        return [this.heading(this.t('thankYouTitle')), h('p', {}, this.t('thankYouBody'))]
    }
  }

  // ----------------------------------------------------------------------------------- invite code

  private renderInviteForm(problem: 'code' | 'link' | null): HTMLElement[] {
    const error = problem === null ? null : this.t(problem === 'code' ? 'inviteInvalid' : 'linkInvalid')
    const input = h('input', {
      type: 'text',
      id: 'invite-code',
      class: 'code',
      dir: 'ltr',
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      'aria-describedby': error === null ? 'invite-help' : 'invite-help invite-error',
      'aria-invalid': error === null ? undefined : 'true',
    })
    const open = () => {
      const invite = parseInviteCode(input.value)
      // The code is a secret: it leaves the DOM as soon as it has been read.
      input.value = ''
      if (invite === null) this.show({ kind: 'invite', problem: 'code' }, 'invite-code')
      else void this.load(invite.questionnaireId, invite)
    }
    on(input, 'keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault()
        open()
      }
    })
    // No <form>: nothing is ever submitted by the browser itself (CSP form-action 'none'), and
    // no form-submission heuristics get a chance to remember the code.
    return [
      this.heading(this.t('inviteTitle')),
      h('p', { id: 'invite-help' }, this.t('inviteHelp'), ' ', this.t('inviteNoTrace')),
      error === null ? null : h('p', { class: 'error-text', id: 'invite-error', role: 'alert' }, error),
      h('div', { class: 'question' }, h('label', { for: 'invite-code' }, this.t('inviteField')), input),
      h('div', { class: 'actions' }, on(h('button', { type: 'button', class: 'primary' }, this.t('inviteOpen')), 'click', open)),
    ].filter((e): e is HTMLElement => e !== null)
  }

  // -------------------------------------------------------------------------------------- loading

  private async load(questionnaireId: Invite['questionnaireId'], invite: Invite | null): Promise<void> {
    this.invite = invite
    this.show({ kind: 'loading' })
    let signed: unknown
    try {
      signed = await fetchSignedQuestionnaire(questionnaireId, (url, init) => this.deps.transport.fetch(url, init))
    } catch {
      this.show({ kind: 'problem', message: 'loadFailed', retry: () => void this.load(questionnaireId, invite) })
      return
    }
    try {
      this.verified = verifySignedQuestionnaire(signed, invite?.fingerprint ?? null, questionnaireId)
    } catch {
      this.invite = null
      this.show({ kind: 'problem', message: 'verifyFailed', retry: null })
      return
    }
    const { languages } = this.verified.questionnaire
    this.language = pickLanguage(languages, [this.language, ...this.deps.preferredLanguages], languages[0] ?? 'en')
    this.show({ kind: 'questions', section: this.firstSection(), errors: new Map(), summary: null })
  }

  // -------------------------------------------------------------------------------- questionnaire

  /** Indices of the sections with at least one item shown for the current answers. */
  private shownSections(): number[] {
    const questionnaire = this.questionnaire()
    const visible = visibleQuestions(questionnaire, this.memory.current)
    return questionnaire.sections.flatMap((section, k) => (section.items.some((item) => visible.top.has(item.id)) ? [k] : []))
  }

  private firstSection(): number {
    return this.shownSections()[0] ?? 0
  }

  private questionnaire(): Questionnaire {
    if (this.verified === null) throw new Error('no questionnaire loaded')
    return this.verified.questionnaire
  }

  private fileHandler(path: string, question: AttachmentQuestion): FileHandler {
    const memory = this.memory
    const uploadsAt = () => {
      const value = memory.get(path)
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
    }
    return {
      get: (upload) => memory.files.get(upload),
      add: async (picked) => {
        const counts = { question: uploadsAt().length, total: referencedFiles(this.questionnaire(), memory).length }
        const result = await holdFile(picked, question, this.deps.limits, counts)
        if (!isRefusal(result)) {
          memory.files.set(result.upload, result)
          memory.setAt(path, [...uploadsAt(), result.upload])
        }
        return result
      },
      remove: (upload) => {
        const file = memory.files.get(upload)
        file?.original.fill(0)
        if (file?.cleaning.kind === 'cleaned') file.cleaning.bytes.fill(0)
        memory.files.delete(upload)
        const rest = uploadsAt().filter((u) => u !== upload)
        memory.setAt(path, rest.length === 0 ? undefined : rest)
      },
    }
  }

  private renderQuestions(sectionIndex: number, errors: ReadonlyMap<string, string>, summary: string | null): HTMLElement[] {
    const questionnaire = this.questionnaire()
    const section = questionnaire.sections[sectionIndex]
    if (section === undefined) return []
    const fallback = questionnaire.languages[0] ?? this.language
    const text = (value: MultilingualText | undefined) => (value === undefined ? '' : textIn(value, this.language, fallback))
    const pages = this.shownSections()
    const position = Math.max(0, pages.indexOf(sectionIndex))
    const isLast = position >= pages.length - 1
    const { items } = renderSection(section, {
      questionnaire,
      memory: this.memory,
      language: this.language,
      t: this.t,
      errors,
      files: (path, question) => this.fileHandler(path, question),
      refresh: (focusId) => this.show({ kind: 'questions', section: sectionIndex, errors, summary }, focusId),
    })
    const progressText = this.t('progress', { n: position + 1, total: pages.length })

    const back = on(h('button', { type: 'button' }, this.t('back')), 'click', () => {
      const previous = pages[position - 1]
      if (previous !== undefined) this.show({ kind: 'questions', section: previous, errors: new Map(), summary: null })
    })
    const forward = this.preview && isLast
      ? h('button', { type: 'button', class: 'primary', disabled: true }, this.t('submit'))
      : on(h('button', { type: 'button', class: 'primary' }, isLast ? this.t('submit') : this.t('next')), 'click', () =>
          isLast ? void this.submit(sectionIndex) : this.next(sectionIndex),
        )

    return [
      this.preview ? h('p', { class: 'banner', role: 'note' }, this.t('previewBanner')) : null,
      h('h1', {}, text(questionnaire.title)),
      position === 0 && questionnaire.intro !== undefined ? h('p', { class: 'intro' }, text(questionnaire.intro)) : null,
      h(
        'div',
        { class: 'progress' },
        h('p', { id: 'progress-text' }, progressText),
        h('progress', { max: pages.length, value: position + 1, 'aria-labelledby': 'progress-text' }),
      ),
      h('h2', { id: 'screen-heading', tabindex: -1 }, text(section.title)),
      section.intro === undefined ? null : h('p', { class: 'intro' }, text(section.intro)),
      summary === null ? null : h('div', { class: 'banner error', role: 'alert', id: 'error-summary' }, h('p', {}, summary)),
      ...items,
      h('div', { class: 'actions' }, position > 0 ? back : h('span'), forward),
      h('p', { class: 'note' }, this.t('encryptedNote')),
      this.verified === null
        ? null
        : h('p', { class: 'fingerprint', dir: 'ltr' }, this.t('signedBy', { fingerprint: formatFingerprint(this.verified.fingerprint) })),
    ].filter((e): e is HTMLElement => e !== null)
  }

  /** The questions (top level and in groups) of a section, by answer path, for error messages. */
  private questionsByPath(sections: readonly number[]): Map<string, Item | Question> {
    const questionnaire = this.questionnaire()
    const byPath = new Map<string, Item | Question>()
    for (const k of sections) {
      for (const item of questionnaire.sections[k]?.items ?? []) {
        byPath.set(item.id, item)
        if (item.kind !== 'group') continue
        const instances = this.memory.current[item.id]
        const count = Array.isArray(instances) ? instances.length : 0
        for (let i = 0; i < count; i++) for (const q of item.items) byPath.set(`${item.id}[${i}].${q.id}`, q)
      }
    }
    return byPath
  }

  private messageFor(problem: AnswerProblem, question: Item | Question): string {
    switch (problem.problem) {
      case 'required':
        return this.t('required')
      case 'too_long':
        return 'maxLength' in question ? this.t('tooLong', { max: question.maxLength }) : this.t('invalidAnswer')
      case 'too_few':
        if (question.kind === 'group') return this.t('addAtLeast', { min: question.min })
        return question.kind === 'multiple_choice' ? this.t('chooseAtLeast', { min: question.min }) : this.t('invalidAnswer')
      case 'too_many':
        if (question.kind === 'attachment') return this.t('tooManyFiles', { max: question.maxFiles })
        return question.kind === 'multiple_choice' && question.max !== undefined
          ? this.t('chooseAtMost', { max: question.max })
          : this.t('invalidAnswer')
      case 'out_of_range':
        if (question.kind !== 'number') return this.t('invalidAnswer')
        if (question.min !== undefined && question.max !== undefined) return this.t('numberRange', { min: question.min, max: question.max })
        return question.min !== undefined ? this.t('numberMin', { min: question.min }) : this.t('numberMax', { max: question.max ?? 0 })
      case 'not_whole':
        return this.t('wholeNumber')
      case 'precision':
        return question.kind === 'date' ? this.t('dateFormat', { examples: dateExamples(question.precisions) }) : this.t('invalidAnswer')
      case 'attachment_type':
        return this.t('fileTypeRefused')
      // The page's own controls cannot produce these; a plain "check this answer" is enough.
      case 'attachment_too_large':
      case 'duplicate':
      case 'hidden':
      case 'not_an_option':
      case 'unknown_attachment':
      case 'unknown_country':
      case 'unknown_language':
      case 'unknown_question':
      case 'unreferenced_attachment':
      case 'wrong_questionnaire':
      case 'wrong_type':
        return this.t('invalidAnswer')
    }
  }

  /**
   * Every message for the given sections: the answer checks of the questionnaire format
   * (`validateAnswers` over what would be sent), half-typed numbers and dates, and files that
   * need consent. Keyed by answer path.
   */
  private problemsIn(sections: readonly number[]): Map<string, string> {
    const questionnaire = this.questionnaire()
    const byPath = this.questionsByPath(sections)
    const errors = new Map<string, string>()
    const pruned = pruneAnswers(questionnaire, this.memory.current)
    for (const problem of validateAnswers(questionnaire, pruned)) {
      // Attachment problems name a file (`evidence[0]`); show them on the question.
      const path = byPath.has(problem.path) ? problem.path : problem.path.replace(/\[\d+\]$/, '')
      const question = byPath.get(path)
      if (question !== undefined && !errors.has(path)) errors.set(path, this.messageFor(problem, question))
    }
    const visible = visibleQuestions(questionnaire, this.memory.current)
    for (const [path, question] of byPath) {
      const at = parseAnswerPath(path)
      const shown = at.group === null ? visible.top.has(path) : (visible.groups.get(at.group)?.[at.index]?.has(at.question) ?? false)
      if (!shown || errors.has(path)) continue
      if (this.memory.drafts.has(path)) {
        errors.set(
          path,
          question.kind === 'date' ? this.t('dateFormat', { examples: dateExamples(question.precisions) }) : this.t('notANumber'),
        )
      }
      if (question.kind === 'attachment') {
        const value = this.memory.get(path)
        const uploads = Array.isArray(value) ? value : []
        const unconsented = uploads.some((u) => {
          const file = typeof u === 'string' ? this.memory.files.get(u) : undefined
          return file !== undefined && file.cleaning.kind === 'not_cleanable' && !file.consentAsIs
        })
        if (unconsented) errors.set(path, this.t('consentNeeded'))
      }
    }
    return errors
  }

  private next(sectionIndex: number): void {
    const errors = this.problemsIn([sectionIndex])
    if (errors.size > 0) {
      this.showErrors(sectionIndex, errors, this.t('fixErrors'))
      return
    }
    const pages = this.shownSections()
    const following = pages.find((k) => k > sectionIndex)
    if (following !== undefined) this.show({ kind: 'questions', section: following, errors: new Map(), summary: null })
  }

  private showErrors(sectionIndex: number, errors: ReadonlyMap<string, string>, summary: string): void {
    const first = [...errors.keys()][0]
    this.show({ kind: 'questions', section: sectionIndex, errors, summary }, first === undefined ? 'error-summary' : `${domIdOf(first)}-input`)
    // A field without an input of that id (a fieldset, a group): fall back to the summary.
    if (document.activeElement === document.body || document.activeElement?.id === 'screen-heading') {
      document.getElementById('error-summary')?.focus()
    }
  }

  // --------------------------------------------------------------------------------------- sending

  private async submit(sectionIndex: number): Promise<void> {
    if (this.preview || this.invite === null || this.verified === null) return
    const pages = this.shownSections()
    for (const k of pages) {
      const errors = this.problemsIn([k])
      if (errors.size > 0) {
        this.showErrors(k, errors, this.t('fixErrors'))
        return
      }
    }
    await this.send(sectionIndex)
  }

  private async send(sectionIndex: number): Promise<void> {
    const invite = this.invite
    const verified = this.verified
    if (invite === null || verified === null) return
    this.show({ kind: 'sending', step: null, failure: null })
    try {
      await sendAnswers({
        verified,
        memory: this.memory,
        language: this.language,
        token: invite.token,
        limits: this.deps.limits,
        transport: this.deps.transport,
        onStep: (step) => this.show({ kind: 'sending', step, failure: null }, null),
      })
    } catch (error) {
      if (isAmanatError(error, 'submission.too_large')) {
        this.memory.attempt = null
        const size = typeof error.details.length === 'number' ? formatBytes(error.details.length) : ''
        const summary = this.t('answersTooLong', { size, limit: formatBytes(this.deps.limits.submissionBytes) })
        this.show({ kind: 'questions', section: sectionIndex, errors: new Map(), summary }, 'error-summary')
        return
      }
      const failure: MessageKey = isAmanatError(error, 'send.refused')
        ? 'sendRefused'
        : isAmanatError(error, 'send.unreachable')
          ? 'sendFailed'
          : 'unexpected'
      this.show({ kind: 'sending', step: null, failure })
      return
    }
    // Acknowledged: forget everything, keep nothing that shows what was sent.
    this.memory.clear()
    this.invite = null
    this.show({ kind: 'thanks' })
  }

  private renderSending(step: SendStep | null, failure: MessageKey | null): HTMLElement[] {
    if (failure !== null) {
      return [
        this.heading(this.t(failure)),
        h(
          'div',
          { class: 'actions' },
          on(h('button', { type: 'button', class: 'primary' }, this.t('tryAgain')), 'click', () => void this.send(this.currentSection())),
        ),
      ]
    }
    const status = step?.kind === 'file' ? this.t('sendingFile', { n: step.n, total: step.total }) : this.t('sending')
    return [this.heading(this.t('sending')), h('p', { role: 'status', 'aria-live': 'polite' }, status)]
  }

  private currentSection(): number {
    const pages = this.shownSections()
    return pages[pages.length - 1] ?? 0
  }
}
