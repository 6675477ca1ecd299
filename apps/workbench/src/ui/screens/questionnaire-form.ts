import {
  isAmanatError,
  partialDateFromString,
  pruneAnswers,
  textIn,
  visibleQuestions,
  type Answers,
  type GroupInstance,
  type Item,
  type MultilingualText,
  type Question,
  type Questionnaire,
  type ScalarAnswer,
} from '@amanat/domain'
import { field, focusHeading, h, select } from '../dom.ts'
import { t } from '../i18n/i18n.ts'
import { countryOptions } from './vocab.ts'

/**
 * The questionnaire as a researcher fills it in during an interview: every section on one page,
 * in the language the interview is held in, with the questionnaire's own conditions deciding what
 * is shown (the domain's `visibleQuestions`, as on the respondent's page). Attachments are not
 * taken here. The answers it collects go through the same validation and mapping as a submission.
 */
export interface QuestionnaireForm {
  readonly element: HTMLElement
  /** The answers to the questions shown (hidden and blank ones pruned, as the respondent's page does). */
  answers(): Answers
  /**
   * Everything entered so far, hidden questions included, to draw the form again with (in another
   * language) without losing a word: pass it as `initial`.
   */
  entered(): Answers
}

type Setter = (value: ScalarAnswer | undefined) => void

export function questionnaireForm(
  questionnaire: Questionnaire,
  language: string,
  initial: Answers = {},
): QuestionnaireForm {
  const answers: Record<string, Answers[string]> = structuredClone(initial)
  const fallback = questionnaire.languages[0] ?? 'en'
  const say = (value: MultilingualText | undefined) =>
    value === undefined ? '' : textIn(value, language, fallback)
  /** Wrappers to show or hide: top-level items by id, group items by `<group>/<index>/<item>`. */
  const wrappers = new Map<string, HTMLElement>()

  const refresh = () => {
    const visible = visibleQuestions(questionnaire, answers)
    for (const [key, wrapper] of wrappers) {
      const [top, index, item] = key.split('/')
      wrapper.hidden =
        index === undefined || item === undefined
          ? !visible.top.has(top ?? '')
          : !(visible.groups.get(top ?? '')?.[Number(index)]?.has(item) ?? false)
    }
  }

  const control = (
    question: Question,
    domId: string,
    value: ScalarAnswer | undefined,
    set: Setter,
  ): HTMLElement | null => {
    const label = say(question.label)
    const help = question.help === undefined ? undefined : say(question.help)
    const onValue = (
      element: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
      read: (raw: string) => ScalarAnswer | undefined,
    ) => {
      element.id = domId
      const update = () => {
        set(read(element.value))
        refresh()
      }
      element.addEventListener('input', update)
      element.addEventListener('change', update)
      return field(label, element, help)
    }
    const textOrNothing = (raw: string) => (raw.trim() === '' ? undefined : raw)
    switch (question.kind) {
      case 'short_text':
        return onValue(
          h('input', {
            type: 'text',
            dir: 'auto',
            lang: language,
            maxlength: question.maxLength,
            value: typeof value === 'string' ? value : '',
            autocomplete: 'off',
          }),
          textOrNothing,
        )
      case 'long_text':
        return onValue(
          h(
            'textarea',
            { dir: 'auto', lang: language, rows: 8, maxlength: question.maxLength },
            typeof value === 'string' ? value : '',
          ),
          textOrNothing,
        )
      case 'single_choice':
        return onValue(
          select(
            question.id,
            question.options.map((o) => [o.value, say(o.label)] as const),
            typeof value === 'string' ? value : null,
            t('none'),
          ),
          textOrNothing,
        )
      case 'country':
        return onValue(
          select(question.id, countryOptions(), typeof value === 'string' ? value : null, t('none')),
          textOrNothing,
        )
      case 'yes_no':
        return onValue(
          select(
            question.id,
            [
              ['yes', t('yes')],
              ['no', t('no')],
            ],
            value === true ? 'yes' : value === false ? 'no' : null,
            t('none'),
          ),
          (raw) => (raw === '' ? undefined : raw === 'yes'),
        )
      case 'number':
        return onValue(
          h('input', { type: 'number', inputmode: 'decimal', value: typeof value === 'number' ? value : '' }),
          (raw) => (raw === '' ? undefined : Number(raw)),
        )
      case 'date': {
        const input = h('input', {
          type: 'text',
          inputmode: 'numeric',
          placeholder: 'YYYY-MM-DD',
          autocomplete: 'off',
          value: isDate(value) ? value.value : '',
        })
        return onValue(input, (raw) => {
          // A date that does not read is said at once and stops the save (the form's own
          // validation), rather than being dropped from the interview without a word.
          input.setCustomValidity('')
          try {
            const date = partialDateFromString(raw)
            return date.precision === 'unknown' ? undefined : date
          } catch (error) {
            if (!isAmanatError(error)) throw error
            input.setCustomValidity(t('dateInvalid'))
            return undefined
          }
        })
      }
      case 'multiple_choice': {
        const chosen = new Set(Array.isArray(value) ? value : [])
        const boxes = question.options.map((o) => {
          const box = h('input', { type: 'checkbox', value: o.value, checked: chosen.has(o.value) })
          box.addEventListener('change', () => {
            if (box.checked) chosen.add(o.value)
            else chosen.delete(o.value)
            set(chosen.size === 0 ? undefined : [...chosen])
            refresh()
          })
          return h('label', { class: 'check' }, box, ' ', say(o.label))
        })
        return h('fieldset', { id: domId }, h('legend', {}, label), boxes)
      }
      case 'attachment':
        return null
    }
  }

  const group = (item: Extract<Item, { kind: 'group' }>): HTMLElement => {
    const list = h('div', { class: 'instances' })
    const instances = instancesOf(answers[item.id])
    answers[item.id] = instances
    const heading = h('h3', {}, say(item.label))
    /** Draws the instances again; then focus goes to the one at `focusAt`, or to the group's heading. */
    const draw = (focusAt?: number | 'heading') => {
      for (const key of [...wrappers.keys()]) if (key.startsWith(`${item.id}/`)) wrappers.delete(key)
      list.replaceChildren(
        ...instances.map((instance, index) => {
          const remove = h('button', { type: 'button', class: 'link danger' }, t('remove'))
          remove.addEventListener('click', () => {
            instances.splice(index, 1)
            // The button is gone with its instance: the keyboard goes to the group, not the top of the page.
            draw('heading')
          })
          return h(
            'fieldset',
            { id: `q-${item.id}-${String(index)}` },
            h('legend', {}, `${say(item.itemLabel)} ${String(index + 1)}`),
            item.items.map((question) => {
              const element = control(
                question,
                `q-${item.id}-${String(index)}-${question.id}`,
                instance[question.id],
                (value) => {
                  if (value === undefined) delete instance[question.id]
                  else instance[question.id] = value
                },
              )
              if (element === null) return null
              const wrapper = h('div', {}, element)
              wrappers.set(`${item.id}/${String(index)}/${question.id}`, wrapper)
              return wrapper
            }),
            remove,
          )
        }),
      )
      refresh()
      if (focusAt === 'heading') focusHeading(heading)
      else if (focusAt !== undefined) {
        // The new instance's first question, so the next key types into it, not past the list.
        const added = document.getElementById(`q-${item.id}-${String(focusAt)}`)
        const first = added?.querySelector<HTMLElement>('div:not([hidden]) :is(input, select, textarea)')
        if (first !== null && first !== undefined) first.focus()
        else if (added !== null) focusHeading(added)
      }
    }
    const add = h('button', { type: 'button', class: 'secondary' }, say(item.addLabel))
    add.addEventListener('click', () => {
      if (instances.length >= item.max) return
      instances.push({})
      draw(instances.length - 1)
    })
    draw()
    return h('section', { class: 'group' }, heading, list, add)
  }

  const element = h(
    'div',
    { class: 'questionnaire' },
    questionnaire.sections.map((section) =>
      h(
        'section',
        {},
        h('h2', {}, say(section.title)),
        section.items.map((item) => {
          const inner =
            item.kind === 'group'
              ? group(item)
              : control(item, `q-${item.id}`, scalar(answers[item.id]), (value) => {
                  if (value === undefined) delete answers[item.id]
                  else answers[item.id] = value
                })
          if (inner === null) return null
          const wrapper = h('div', {}, inner)
          wrappers.set(item.id, wrapper)
          return wrapper
        }),
      ),
    ),
  )
  refresh()
  return {
    element,
    answers: () => pruneAnswers(questionnaire, answers),
    entered: () => structuredClone(answers),
  }
}

/** A group's instances, kept from an earlier drawing of the form (none for a new one). */
function instancesOf(value: Answers[string] | undefined): GroupInstance[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'object') ? value : []
}

/** A top-level answer as its control shows it. */
function scalar(value: Answers[string] | undefined): ScalarAnswer | undefined {
  return Array.isArray(value) && value.some((v) => typeof v === 'object')
    ? undefined
    : (value as ScalarAnswer | undefined)
}

function isDate(value: ScalarAnswer | undefined): value is Extract<ScalarAnswer, { value: string }> {
  return typeof value === 'object' && !Array.isArray(value) && 'value' in value
}
