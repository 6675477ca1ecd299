import type { Respondent } from '@amanat/domain'
import type { StoryFinding } from '../../stories/story-check.ts'
import type { StoryItem, StoryList } from '../../server/routes/story-routes.ts'
import { api, ApiError } from '../api.ts'
import { content, field, focusHeading, h, whileBusy } from '../dom.ts'
import type { MessageKey } from '../i18n/en.ts'
import { t, tv } from '../i18n/i18n.ts'
import { Draft } from './drafts.ts'
import { showError, showProblem, showSaved } from './notice.ts'

/**
 * The respondent's case stories: written under their pseudonym, in any language, marked for
 * publication or not. The panel says plainly what the respondent's consent allows (a story can be
 * written for anyone; the report publishes a marked one only with consent to an anonymised story or
 * to quotes) and lists, under each story, what the release check finds in it — by kind, never the
 * matched text — so the analyst rewrites before the report refuses to build.
 */
export function storiesPanel(respondentBase: string, respondent: Respondent): HTMLElement {
  const storiesBase = `${respondentBase}/stories`
  const consentNote = h('p', { id: 'story-consent' })
  const list = h('ul', { class: 'stories' })
  let editing: StoryItem | null = null

  const language = h('input', {
    type: 'text',
    name: 'language',
    value: 'en',
    maxlength: 35,
    size: 6,
    autocomplete: 'off',
  })
  const title = h('input', { type: 'text', name: 'title', maxlength: 200, dir: 'auto', autocomplete: 'off' })
  const text = h('textarea', { name: 'text', rows: 8, dir: 'auto' })
  const save = h('button', { type: 'submit' }, t('saveStory'))
  const clear = h('button', { type: 'button', class: 'secondary' }, t('newStory'))
  const form = h(
    'form',
    { id: 'story-form' },
    field(t('storyTitle'), title),
    field(t('storyText'), text),
    field(t('storyLanguage'), language),
    h('div', { class: 'actions' }, save, clear),
  )

  // What is being written survives the reader being drawn again (drafts.ts).
  const draft = new Draft<StoryDraft>(`story:${respondentBase}`)
  const remember = () => {
    draft.keep({ editing, title: title.value, text: text.value, language: language.value })
  }
  const show = (shown: StoryDraft) => {
    editing = shown.editing
    title.value = shown.title
    text.value = shown.text
    language.value = shown.language
    text.lang = language.value
  }
  const fill = (story: StoryItem | null) => {
    show({
      editing: story,
      title: story?.title ?? '',
      text: story?.text ?? '',
      language: story?.language ?? 'en',
    })
    if (story === null) draft.drop()
    else remember()
  }
  clear.addEventListener('click', () => fill(null))
  for (const input of [title, text, language]) input.addEventListener('input', remember)
  const kept = draft.value
  if (kept !== null) show(kept)

  /** Lists the stories again; resolves whether it could. */
  const refresh = (): Promise<boolean> =>
    api
      .get<StoryList>(storiesBase)
      .then((stories) => {
        consentNote.className = stories.publication === 'allowed' ? 'muted' : 'message'
        consentNote.textContent = t(CONSENT_NOTES[stories.publication])
        list.replaceChildren(
          ...(stories.stories.length === 0 ? [h('li', { class: 'muted' }, t('empty'))] : []),
          ...stories.stories.map((story) => storyItem(story)),
        )
        return true
      })
      .catch((error: unknown) => {
        showError(error)
        return false
      })
  const heading = h('h3', {}, t('stories'))
  /**
   * Sends a change and lists the stories again; then `focus` puts the keyboard back (the button
   * that was pressed is drawn anew, or gone), and "Saved." is said once the list is there. A change
   * refused because someone changed the story since it was listed lists them again as they are now
   * and says so; the form keeps what was typed.
   */
  const after = (request: Promise<unknown>, focus?: () => void): Promise<void> =>
    request
      .then(async () => {
        if (!(await refresh())) return
        focus?.()
        showSaved()
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof ApiError && error.code === 'record.changed')) return showError(error)
        await refresh()
        showProblem(t('storyChanged'))
      })

  const storyItem = (story: StoryItem): HTMLElement => {
    const edit = h('button', { type: 'button', class: 'link' }, t('edit'))
    const mark = h(
      'button',
      { type: 'button', class: 'link', 'data-action': 'mark' },
      t(story.publish ? 'unmarkPublication' : 'markForPublication'),
    )
    const remove = h('button', { type: 'button', class: 'link danger' }, t('remove'))
    edit.addEventListener('click', () => {
      fill(story)
      title.focus()
    })
    mark.addEventListener('click', () =>
      whileBusy(mark, () =>
        after(
          api.post(`${storiesBase}/${story.id}/mark`, { publish: !story.publish, version: story.version }),
          () =>
            list
              .querySelector<HTMLElement>(`li[data-story="${CSS.escape(story.id)}"] button[data-action=mark]`)
              ?.focus(),
        ),
      ),
    )
    remove.addEventListener('click', () =>
      whileBusy(remove, () => {
        if (editing?.id === story.id) fill(null)
        return after(api.delete(`${storiesBase}/${story.id}?version=${String(story.version)}`), () =>
          focusHeading(heading),
        )
      }),
    )
    return h(
      'li',
      { 'data-story': story.id },
      h('strong', {}, content(story.title, story.language)),
      ` · ${story.language} · `,
      h('span', { class: 'badge' }, t(story.publish ? 'storyMarked' : 'storyNotMarked')),
      ' ',
      edit,
      ' ',
      mark,
      ' ',
      remove,
      h(
        'ul',
        { class: 'findings' },
        story.findings.length === 0
          ? h('li', { class: 'muted' }, t('storyCheckOk'))
          : story.findings.map((finding) => h('li', { class: 'message' }, findingText(finding))),
      ),
    )
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    // One save per press: a second press while the first is on its way would write the story twice.
    whileBusy(save, () =>
      after(
        api
          .post<{ story: StoryItem }>(storiesBase, {
            ...(editing === null ? {} : { storyId: editing.id, version: editing.version }),
            language: language.value.trim(),
            title: title.value,
            text: text.value,
            publish: editing?.publish ?? false,
          })
          .then(({ story }) => {
            editing = { ...story, findings: [] }
            draft.drop()
          }),
      ),
    )
  })

  void refresh()
  return h(
    'div',
    { id: 'stories' },
    heading,
    h('p', { class: 'muted' }, t('storiesHelp')),
    respondent.pseudonym === null
      ? h('p', { class: 'message', id: 'story-pseudonym' }, t('storyNoPseudonym'))
      : pseudonymLine(respondent.pseudonym),
    consentNote,
    list,
    form,
  )
}

/** The story form as it was left: which story it edits (none: a new one) and what it holds. */
interface StoryDraft {
  readonly editing: StoryItem | null
  readonly title: string
  readonly text: string
  readonly language: string
}

const CONSENT_NOTES = {
  allowed: 'storyConsentAllowed',
  no_consent: 'storyConsentMissing',
  withdrawn: 'storyConsentWithdrawn',
} as const satisfies Record<StoryList['publication'], MessageKey>

/** "Write it under the pseudonym …", with the pseudonym isolated in its own direction. */
function pseudonymLine(pseudonym: string): HTMLElement {
  const [before = '', after = ''] = t('storyPseudonym').split('{pseudonym}')
  return h('p', { id: 'story-pseudonym' }, before, h('strong', {}, content(pseudonym)), after)
}

/** What the check found, by kind and source only. */
function findingText(finding: StoryFinding): string {
  if (finding.problem === 'exact_date') return t('storyFindDate')
  if (finding.source === 'place') return t('storyFindPlace')
  if (finding.source === 'vault') return t('storyFindVault')
  if (finding.kind === 'respondent_key') return t('storyFindKey')
  return t('storyFindIdentifier', { kind: tv('idkind_', finding.kind) })
}
