import type { Question } from '@amanat/domain'
import { renderAttachment } from './attachment.ts'
import type { FieldContext } from './context.ts'
import { renderCountry } from './country.ts'
import { renderDate } from './date.ts'
import { renderLongText } from './long-text.ts'
import { renderMultipleChoice } from './multiple-choice.ts'
import { renderNumber } from './number.ts'
import { renderShortText } from './short-text.ts'
import { renderSingleChoice } from './single-choice.ts'
import { renderYesNo } from './yes-no.ts'

/** Renders one question with the renderer for its kind. */
export function renderQuestion(question: Question, ctx: FieldContext): HTMLElement {
  switch (question.kind) {
    case 'short_text':
      return renderShortText(question, ctx)
    case 'long_text':
      return renderLongText(question, ctx)
    case 'single_choice':
      return renderSingleChoice(question, ctx)
    case 'multiple_choice':
      return renderMultipleChoice(question, ctx)
    case 'country':
      return renderCountry(question, ctx)
    case 'date':
      return renderDate(question, ctx)
    case 'number':
      return renderNumber(question, ctx)
    case 'yes_no':
      return renderYesNo(question, ctx)
    case 'attachment':
      return renderAttachment(question, ctx)
  }
}
