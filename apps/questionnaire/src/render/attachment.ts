import type { Question } from '@amanat/domain'
import { isRefusal, type FileRefusal } from '../attachments.ts'
import { h, on } from '../dom.ts'
import { formatBytes } from '../i18n/i18n.ts'
import type { HeldFile } from '../state.ts'
import type { FieldContext, Translate } from './context.ts'
import { fieldsetQuestion } from './shell.ts'

type AttachmentQuestion = Extract<Question, { kind: 'attachment' }>

/** The words for a refused file. */
export function refusalMessage(t: Translate, refusal: FileRefusal): string {
  switch (refusal.kind) {
    case 'too_large':
      return t('fileTooLarge', { size: formatBytes(refusal.size), limit: formatBytes(refusal.limit) })
    case 'too_many':
      return t('tooManyFiles', { max: refusal.max })
    case 'type':
      return t('fileTypeRefused')
    case 'too_many_pixels':
      return t('imageTooManyPixels')
  }
}

function fileItem(file: HeldFile, ctx: FieldContext, k: number): HTMLElement {
  const id = `${ctx.domId}-file-${k}`
  const remove = on(h('button', { type: 'button', 'aria-describedby': `${id}-name` }, ctx.t('removeFile')), 'click', () => {
    ctx.files.remove(file.upload)
    ctx.refresh()
  })
  let choice: HTMLElement
  if (file.cleaning.kind === 'cleaned') {
    const keep = h('input', { type: 'checkbox', id: `${id}-keep`, checked: file.keepMetadata })
    on(keep, 'change', () => {
      file.keepMetadata = keep.checked
    })
    choice = h(
      'div',
      {},
      h('p', { class: 'note' }, ctx.t('fileCleaned')),
      h('label', { class: 'choice', for: keep.id }, keep, h('span', {}, ctx.t('keepMetadata'))),
    )
  } else {
    const consent = h('input', { type: 'checkbox', id: `${id}-consent`, checked: file.consentAsIs })
    on(consent, 'change', () => {
      file.consentAsIs = consent.checked
    })
    choice = h(
      'div',
      {},
      h('p', { class: 'note' }, ctx.t('notCleanable')),
      h('label', { class: 'choice', for: consent.id }, consent, h('span', {}, ctx.t('consentAsIs'))),
    )
  }
  return h(
    'li',
    {},
    h('p', { id: `${id}-name`, dir: 'auto' }, h('bdi', {}, file.name), ` (${formatBytes(file.original.length)})`),
    choice,
    remove,
  )
}

/**
 * Attached files: each is read and cleaned as soon as it is picked, so the respondent sees at
 * once what will be sent: "hidden information removed" with a choice to keep it, or, for a file
 * this page cannot clean, a warning and a consent box that must be ticked before sending.
 */
export function renderAttachment(question: AttachmentQuestion, ctx: FieldContext): HTMLElement {
  const uploads = Array.isArray(ctx.value) ? ctx.value.filter((v): v is string => typeof v === 'string') : []
  const held = uploads.map((u) => ctx.files.get(u)).filter((f): f is HeldFile => f !== undefined)
  const status = h('p', { class: 'error-text', role: 'status', 'aria-live': 'polite', id: `${ctx.domId}-status` })
  const input = h('input', {
    type: 'file',
    class: 'file-input',
    id: `${ctx.domId}-input`,
    accept: question.accept.join(','),
    multiple: question.maxFiles > 1,
    'aria-describedby': status.id,
  })
  on(input, 'change', () => {
    const picked = Array.from(input.files ?? [])
    input.value = ''
    void (async () => {
      status.textContent = ctx.t('loading')
      let changed = false
      for (const file of picked) {
        const result = await ctx.files.add(file)
        if (isRefusal(result)) {
          status.textContent = refusalMessage(ctx.t, result)
          if (changed) ctx.refresh()
          return
        }
        changed = true
      }
      ctx.refresh()
    })()
  })
  const canAdd = held.length < question.maxFiles
  return fieldsetQuestion(
    ctx,
    question,
    held.length === 0 ? null : h('ul', { class: 'files' }, ...held.map((file, k) => fileItem(file, ctx, k))),
    canAdd ? input : null,
    canAdd ? h('label', { for: input.id, class: 'file-button' }, ctx.t('addFile')) : null,
    status,
  )
}
