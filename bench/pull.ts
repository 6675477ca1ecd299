/**
 * `amanat pull` throughput: sealed submissions fetched from a real intake server (in-process, on
 * a socket, SQLite store), chain-verified, decrypted on the native path in the worker pool,
 * parsed, mapped to testimonies and imported into an encrypted SQLite workspace in committed
 * segments, then deleted on the server. Full-text indexing is not counted (there is none yet).
 *
 * The baseline, measured in the same run on the same files: node:crypto doing exactly the
 * X25519 and ChaCha20-Poly1305 work one file needs (one X25519 agreement, the HKDFs, the stanza
 * and the payload AEAD, the header HMAC) on one thread, with no parsing at all. For context, the
 * native opener alone and age-encryption (typage) alone, each on one thread.
 *
 * The intake server runs from its bundle as a child process, as in production.
 * The fixture is sealed through node:crypto too (age-encryption alone would take minutes for a
 * million files) and written into the server's store directly, as its own group commit does.
 * Target (issue #3): 1,000,000 submissions in under 5 minutes on 2 cores.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Decrypter } from 'age-encryption'
import { bech32 } from '@scure/base'
import { base32, SUBMISSION_FORMAT } from '@amanat/domain'
import { hashToken, openSqliteStore, type IntakeWrite } from '@amanat/intake-server'
import { startIntakeChild } from '../apps/workbench/src/intake/intake-child.ts'
import { createServerClient } from '../apps/workbench/src/intake/server-client.ts'
import { openIntakeSessionWith } from '../apps/workbench/src/intake/intake-session.ts'
import { openAgeNatively, prepareX25519Keys, x25519PublicKey } from '../apps/workbench/src/intake/native-age.ts'
import { publishQuestionnaire } from '../apps/workbench/src/intake/publish.ts'
import { pullSubmissions } from '../apps/workbench/src/intake/pull.ts'
import { readQuestionnaireFile } from '../apps/workbench/src/intake/questionnaire-file.ts'
import { readCodebook } from '../apps/workbench/src/workspace/codebook-file.ts'
import { createWorkspace } from '../apps/workbench/src/workspace/workspace.ts'
import { median, processCpuSeconds, type BenchRow } from './bench-row.ts'

const PASSPHRASE = 'bench passphrase for pull'
const FILL_BATCH = 2_000
const BASELINE_SAMPLE = 2_000
const TYPAGE_SAMPLE = 300
const X25519_LABEL = 'age-encryption.org/v1/X25519'

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '')
const hkdf = (ikm: Uint8Array, salt: Uint8Array, info: string) => Buffer.from(hkdfSync('sha256', ikm, salt, info, 32))
const rawPublic = (key: KeyObject) => Buffer.from(key.export({ format: 'der', type: 'spki' }).subarray(12))

function aead(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([body, cipher.getAuthTag()])
}

/** Seals `plaintext` to raw X25519 `recipients` as age v1 does (c2sp.org/age), on node:crypto. */
function sealNatively(plaintext: Uint8Array, recipients: readonly Buffer[]): Buffer {
  const fileKey = randomBytes(16)
  let header = 'age-encryption.org/v1\n'
  for (const recipient of recipients) {
    const { privateKey, publicKey } = generateKeyPairSync('x25519')
    const share = rawPublic(publicKey)
    const shared = diffieHellman({ privateKey, publicKey: x25519PublicKey(recipient) })
    const wrapKey = hkdf(shared, Buffer.concat([share, recipient]), X25519_LABEL)
    header += `-> X25519 ${b64(share)}\n${b64(aead(wrapKey, Buffer.alloc(12), fileKey))}\n`
  }
  header += '---'
  const mac = createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header')).update(header).digest()
  const nonce = randomBytes(16)
  const payloadKey = hkdf(fileKey, nonce, 'payload')
  const chunks: Buffer[] = []
  const count = Math.max(1, Math.ceil(plaintext.length / 65536))
  for (let i = 0; i < count; i++) {
    const chunkNonce = Buffer.alloc(12)
    chunkNonce.writeUIntBE(i, 5, 6)
    chunkNonce[11] = i === count - 1 ? 1 : 0
    chunks.push(aead(payloadKey, chunkNonce, plaintext.subarray(i * 65536, (i + 1) * 65536)))
  }
  return Buffer.concat([Buffer.from(`${header} ${b64(mac)}\n`, 'latin1'), nonce, ...chunks])
}

const recipientBytes = (recipient: string) => Buffer.from(bech32.decodeToBytes(recipient).bytes)

/** The primitives one file costs, on node:crypto, with the header already split: the baseline. */
function primitiveWork(privateKey: KeyObject, publicKey: Buffer, share: Buffer, stanzaBody: Buffer, macInput: Buffer, payload: Buffer): void {
  const shared = diffieHellman({ privateKey, publicKey: x25519PublicKey(share) })
  const wrapKey = hkdf(shared, Buffer.concat([share, publicKey]), X25519_LABEL)
  const unwrap = createDecipheriv('chacha20-poly1305', wrapKey, Buffer.alloc(12), { authTagLength: 16 })
  unwrap.setAuthTag(stanzaBody.subarray(16))
  const fileKey = unwrap.update(stanzaBody.subarray(0, 16))
  unwrap.final()
  createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header')).update(macInput).digest()
  const payloadKey = hkdf(fileKey, payload.subarray(0, 16), 'payload')
  const nonce = Buffer.alloc(12)
  nonce[11] = 1
  const body = payload.subarray(16)
  const open = createDecipheriv('chacha20-poly1305', payloadKey, nonce, { authTagLength: 16 })
  open.setAuthTag(body.subarray(body.length - 16))
  open.update(body.subarray(0, body.length - 16))
  open.final()
}

function perSecond(count: number, run: () => void): number {
  const start = performance.now()
  run()
  return count / ((performance.now() - start) / 1000)
}

export async function benchPull(options: { quick: boolean }): Promise<BenchRow[]> {
  const submissions = options.quick ? (Number(process.env.AMANAT_BENCH_PULL) || 5_000) : 1_000_000
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-pull-'))
  const codebook = readCodebook()
  const workspace = await createWorkspace({
    dir: join(dir, 'ws'),
    name: 'pull benchmark',
    passphrase: PASSPHRASE,
    backupPassphrase: `${PASSPHRASE} (backup)`,
    analystLabel: 'bench',
    codebook,
    testOnly: true,
  })
  await workspace.close()
  const intakeDir = join(dir, 'intake')
  // The server runs as its own process, from its bundle, as in production: its work is not the pull's.
  let server = await startIntakeChild({ dataDir: intakeDir, port: 0, page: false })
  const credential = server.credential ?? ''
  const session = await openIntakeSessionWith(join(dir, 'ws'), PASSPHRASE)
  try {
    const { questionnaire } = readQuestionnaireFile('default', codebook)
    const publication = await publishQuestionnaire(session, createServerClient({ url: server.url, credential }), questionnaire)
    const recipients = publication.recipients.map(recipientBytes)
    // The fixture goes into the store while the server is down, so the server reads a fresh chain head.
    await server.stop()

    // The fixture: varied valid submissions, padded to the page's 4 KiB bucket, sealed natively.
    const today = new Date().toISOString().slice(0, 10)
    const plaintexts = Array.from({ length: 16 }, (_, i) => {
      const text = JSON.stringify({
        format: SUBMISSION_FORMAT,
        questionnaireId: questionnaire.id,
        questionnaireVersion: questionnaire.version,
        language: 'en',
        answers: {
          residence_country: ['TR', 'DE', 'KZ', 'US'][i % 4],
          gender: ['woman', 'man'][i % 2],
          any_incidents: true,
          incidents: [{ incident_type: 'threat_to_relatives', incident_target: 'relative', incident_channel: 'wechat' }],
          story: `A synthetic account number ${String(i)}, invented for the benchmark.`,
          disclosure: 'anonymous',
          consent: ['aggregate'],
        },
        attachments: [],
        submittedOn: today,
      })
      return Buffer.from(text.padEnd(4096, ' '))
    })
    // Sanity: the native sealer makes files age-encryption opens.
    const check = new Decrypter()
    check.addIdentity(session.analyst.identity)
    await check.decrypt(sealNatively(plaintexts[0] ?? Buffer.alloc(0), recipients))

    const fillStart = performance.now()
    const filler = await openSqliteStore(intakeDir, { uploadsPerInvite: 10, quarantinePerInvite: 5 })
    const sample: Buffer[] = []
    for (let done = 0; done < submissions; done += FILL_BATCH) {
      const writes: IntakeWrite[] = []
      const invites = []
      for (let i = done; i < Math.min(submissions, done + FILL_BATCH); i++) {
        const token = base32(randomBytes(16))
        const tokenHash = hashToken(token as never)
        invites.push({ tokenHash, expiresOn: '2999-12-31' })
        const body = sealNatively(plaintexts[i % plaintexts.length] ?? Buffer.alloc(0), recipients)
        if (sample.length < BASELINE_SAMPLE) sample.push(body)
        writes.push({ kind: 'submission', tokenHash, clientId: base32(randomBytes(16)), recipients: recipients.length, body, bodyHash: createHash('sha256').update(body).digest('hex') })
      }
      await filler.addInvites(questionnaire.id, invites)
      await filler.applyBatch(writes, today)
    }
    await filler.close()
    const fillSeconds = (performance.now() - fillStart) / 1000
    server = await startIntakeChild({ dataDir: intakeDir, port: Number(new URL(server.url).port), page: false })
    const client = createServerClient({ url: server.url, credential })

    // Baselines on one thread, over the same files.
    const [key] = prepareX25519Keys([session.analyst.identity])
    if (key === undefined) throw new Error('no key')
    const split = sample.map((file) => {
      const text = file.toString('latin1')
      const macAt = text.indexOf('\n---') + 4
      const [, shareText, bodyText] = /^age-encryption\.org\/v1\n-> X25519 (\S+)\n(\S+)\n/.exec(text) ?? []
      const headerEnd = text.indexOf('\n', macAt) + 1
      return { share: Buffer.from(shareText ?? '', 'base64'), body: Buffer.from(bodyText ?? '', 'base64'), macInput: file.subarray(0, macAt), payload: file.subarray(headerEnd) }
    })
    const primitiveRuns: number[] = []
    const nativeRuns: number[] = []
    for (let run = 0; run < 3; run++) {
      primitiveRuns.push(perSecond(split.length, () => {
        for (const f of split) primitiveWork(key.privateKey, key.publicKey, f.share, f.body, f.macInput, f.payload)
      }))
      nativeRuns.push(perSecond(sample.length, () => {
        for (const file of sample) openAgeNatively(file, [key])
      }))
    }
    const typageStart = performance.now()
    const decrypter = new Decrypter()
    decrypter.addIdentity(session.analyst.identity)
    for (const file of sample.slice(0, TYPAGE_SAMPLE)) await decrypter.decrypt(file)
    const typage = TYPAGE_SAMPLE / ((performance.now() - typageStart) / 1000)
    const primitives = median(primitiveRuns)

    // The pull itself.
    const workers = availableParallelism()
    const serverCpuStart = processCpuSeconds(server.process.pid)
    const pullStart = performance.now()
    const cpuStart = process.cpuUsage()
    const report = await pullSubmissions({ session, client, workers })
    const pullSeconds = (performance.now() - pullStart) / 1000
    const cpu = process.cpuUsage(cpuStart)
    // CPU of this process (every thread; not the server's): far steadier than wall time on a shared machine.
    const cpuPerSubmission = (cpu.user + cpu.system) / submissions
    const serverCpuPerSubmission = ((processCpuSeconds(server.process.pid) - serverCpuStart) * 1e6) / submissions
    if (report.imported !== submissions || report.flagged !== 0) {
      throw new Error(`the pull imported ${String(report.imported)} of ${String(submissions)}: ${JSON.stringify(report.setAside)}`)
    }
    const rate = submissions / pullSeconds
    const label = `${submissions.toLocaleString('en')} submissions`
    return [
      {
        name: `pull: ${label} verified, decrypted, imported, deleted (${String(workers)} workers)`,
        unit: 'subm/s',
        median: rate,
        runs: [rate],
        ratio: { to: 'node:crypto X25519+ChaCha20-Poly1305 alone, 1 thread', value: rate / primitives },
        target: '1M < 300 s (≥ 3,334/s)',
      },
      { name: `pull: ${label}, wall time`, unit: 's', median: pullSeconds, runs: [pullSeconds], ...(options.quick ? {} : { target: '< 300 s' }) },
      { name: 'pull: CPU per submission, all threads of the pulling process', unit: 'µs', median: cpuPerSubmission, runs: [cpuPerSubmission], target: '≤ 600 µs on 2 cores (3,334/s)' },
      {
        name: 'pull: CPU per submission of the intake server (its own process, on the same 2 cores)',
        unit: 'µs',
        median: serverCpuPerSubmission,
        runs: [serverCpuPerSubmission],
      },
      { name: 'baseline: node:crypto X25519 + ChaCha20-Poly1305 work per file, 1 thread', unit: 'files/s', median: primitives, runs: primitiveRuns },
      { name: 'native age opener alone (header parse, checks, payload), 1 thread', unit: 'files/s', median: median(nativeRuns), runs: nativeRuns, ratio: { to: 'node:crypto baseline', value: median(nativeRuns) / primitives } },
      { name: 'age-encryption (typage) opener alone, 1 thread', unit: 'files/s', median: typage, runs: [typage], ratio: { to: 'node:crypto baseline', value: typage / primitives } },
      { name: 'fixture: native sealing + writing into the intake store (excluded)', unit: 's', median: fillSeconds, runs: [fillSeconds] },
    ]
  } finally {
    await session.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { formatRows } = await import('./bench-row.ts')
  process.stdout.write(`${formatRows(await benchPull({ quick: !process.argv.includes('--full') }))}\n`)
}
