import { labelOf, type Incident, type Place } from '@amanat/domain'
import type { DossierData } from './dossier-data.ts'

/**
 * The dossier as one self-contained HTML page for Chromium to print: no script, no external
 * resource (fonts come from the system: Noto covers Uyghur and Chinese), every value escaped.
 * Text in any language is shown with `dir="auto"`, so Uyghur runs right to left beside English.
 */
export function dossierHtml(data: DossierData, issuedAt: string): string {
  const label = (section: Parameters<typeof labelOf>[1], code: string | null) =>
    code === null ? '—' : esc(labelOf(data.codebook, section, code, 'en'))
  const incidents = data.incidents
    .map(
      (incident) =>
        `<tr><td>${esc(dateText(incident))}</td><td>${label('harassment_types', incident.type)}</td><td>${label('channels', incident.channel)}</td><td>${label('perpetrators', incident.perpetrator)}</td><td>${esc(place(incident.receivedIn))}</td><td>${esc(place(incident.originatedIn))}</td><td>${esc(incident.confidence)}</td><td dir="auto">${esc(incident.note ?? '')}</td></tr>`,
    )
    .join('\n')
  const testimonies = data.testimonies
    .map((testimony) => {
      const texts = [
        ...testimony.narratives,
        ...(testimony.translation === null ? [] : [testimony.translation]),
      ]
        .map((n) => `<p lang="${esc(n.language)}" dir="auto">${esc(n.text)}</p>`)
        .join('\n')
      const files = testimony.attachments
        .map(
          (a) =>
            `<tr><td>${esc(a.id)}</td><td>${esc(a.mediaType)}</td><td>${String(a.byteLength)}</td><td class="mono">${esc(a.sha256)}</td></tr>`,
        )
        .join('\n')
      return `<section><h3>Testimony ${esc(testimony.id)}</h3>${texts}${files === '' ? '<p>No attachments.</p>' : `<h4>Attachments (SHA-256)</h4><table><tr><th>id</th><th>type</th><th>bytes</th><th>SHA-256</th></tr>${files}</table>`}</section>`
    })
    .join('\n')
  const custody = data.custody
    .map(
      (e) =>
        `<tr><td>${String(e.seq)}</td><td>${esc(e.kind)}</td><td>${esc(e.author)}</td><td>${esc(e.recordedAt)}</td><td class="mono">${esc(e.hash)}</td></tr>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence dossier: ${esc(data.name)}</title>
<style>
body { font-family: 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif; font-size: 10pt; margin: 0; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 18pt; } h3 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; } td, th { border: 0.5pt solid #888; padding: 2pt 4pt; vertical-align: top; text-align: start; }
.mono { font-family: 'Noto Sans Mono', monospace; font-size: 7pt; word-break: break-all; }
</style></head><body>
<h1>Evidence dossier: ${esc(data.name)}</h1>
<p>Issued ${esc(issuedAt)} from the workspace “${esc(data.workspaceName)}”, with the respondent's consent to share it with a lawyer.
The signed manifest at the end of this file binds every byte of it; check it with <code>amanat verify-dossier</code>.</p>
<p>Residence: ${esc(data.respondent.residenceCountry ?? '—')}. Status: ${esc(data.respondent.status ?? '—')}.</p>
<h2>Incidents, in time order</h2>
<table><tr><th>when</th><th>what</th><th>channel</th><th>by</th><th>received in</th><th>originated in</th><th>confidence</th><th>note</th></tr>
${incidents}</table>
<h2>Testimony</h2>
${testimonies}
<h2>Chain of custody</h2>
<p>Every event of the workspace's hash-chained log about this person. The chain's head when issued: <span class="mono">${esc(data.head)}</span>.</p>
<table><tr><th>seq</th><th>event</th><th>by</th><th>recorded</th><th>hash</th></tr>
${custody}</table>
</body></html>`
}

function dateText(incident: Incident): string {
  return incident.date.precision === 'unknown' ? 'date unknown' : incident.date.value
}

function place(where: Place): string {
  return [where.locality, where.country].filter((part) => part !== undefined && part !== null).join(', ')
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${String(ch.charCodeAt(0))};`)
}
