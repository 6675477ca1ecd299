import type { Group, GroupInstance, Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import { text, type Translate } from './context.ts'

/** What a group needs from the page that shows it. */
export interface GroupEnv {
  readonly language: string
  readonly fallback: string
  readonly t: Translate
  readonly domId: string
  /** The group's instances, live (items write into them). */
  readonly instances: GroupInstance[]
  /** Stores the list of instances as the group's answer. */
  readonly setInstances: (instances: GroupInstance[]) => void
  /** Renders one item of one instance. */
  readonly renderItem: (question: Question, instance: number) => HTMLElement
  /** The message for the group as a whole (too few instances), or null. */
  readonly error: string | null
  /** Rebuilds the page and moves focus to the element with this id. */
  readonly refresh: (focusId: string) => void
}

/**
 * A repeatable group ("each incident", "each relative"): one numbered fieldset per instance with
 * its own items and a remove button, then an add button (up to the group's maximum).
 */
export function renderGroup(group: Group, env: GroupEnv): HTMLElement {
  const itemLabel = text(env, group.itemLabel)
  const legendId = (k: number) => `${env.domId}-${k}-legend`
  const instances = env.instances.map((_, k) => {
    const remove = on(h('button', { type: 'button', 'aria-describedby': legendId(k) }, env.t('removeItem')), 'click', () => {
      const next = env.instances.filter((__, j) => j !== k)
      env.setInstances(next)
      env.refresh(next.length === 0 ? `${env.domId}-add` : legendId(Math.max(0, k - 1)))
    })
    return h(
      'fieldset',
      { class: 'group-item' },
      h('legend', { id: legendId(k), tabindex: -1 }, env.t('itemNumber', { label: itemLabel, n: k + 1 })),
      ...group.items.map((item) => env.renderItem(item, k)),
      env.instances.length > group.min ? remove : null,
    )
  })
  const add = on(
    h('button', { type: 'button', id: `${env.domId}-add`, disabled: env.instances.length >= group.max }, text(env, group.addLabel)),
    'click',
    () => {
      env.setInstances([...env.instances, {}])
      env.refresh(legendId(env.instances.length))
    },
  )
  return h(
    'section',
    { class: 'question', 'data-field': env.domId, 'aria-labelledby': `${env.domId}-title` },
    h('h3', { id: `${env.domId}-title`, class: 'label' }, text(env, group.label)),
    group.help === undefined ? null : h('p', { class: 'help' }, text(env, group.help)),
    env.error === null ? null : h('p', { class: 'error-text', role: 'alert' }, env.error),
    ...instances,
    add,
  )
}
