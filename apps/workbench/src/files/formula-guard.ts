/**
 * CSV injection: a spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` as
 * a formula, and free text in a testimony can come from anyone, informants included
 * (https://owasp.org/www-community/attacks/CSV_Injection). An exported CSV cell that would start a
 * formula gets one `'` in front, which spreadsheets show as text; importing a CSV takes one `'`
 * off such a cell again. The rule is reversible (a cell that already starts with `'` and then a
 * formula character gets one more), so export → import is lossless. XLSX cells are typed as
 * text and need no guard; JSON is not opened by spreadsheets.
 */
const FORMULA = /^'*[=+\-@\t\r]/

/** The cell as an exported CSV writes it. */
export function guardFormula(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell
}

/** The cell as a CSV gave it, with the export's guard removed. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell) ? cell.slice(1) : cell
}
