// Differential test (test-only): random policies and requests around
// sagemaker:CreatePresignedNotebookInstanceUrl, decided by @cloud-copilot/iam-simulate and by
// `vpcgate simulate --requests`. Usage: node run.mjs VPCGATE_BINARY [COUNT] [SEED]
// Exit 0 when every decision agrees, 1 otherwise (the disagreements are printed).
import { spawnSync } from 'node:child_process'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const [binary, countArg, seedArg] = process.argv.slice(2)
const count = Number(countArg ?? 300)
let seed = Number(seedArg ?? 20240501)
const rand = () => {
  // Exact: in doubles seed * 1103515245 loses its low bits above 2^53 and the sequence falls
  // into a short cycle (184 distinct requests in 1,000).
  seed = Number((BigInt(seed) * 1103515245n + 12345n) % 2147483648n)
  return seed / 2147483648
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
const some = (xs, max) => {
  const n = 1 + Math.floor(rand() * max)
  return Array.from({ length: n }, () => pick(xs))
}

const ACCOUNT = '111122223333'
const NB = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/nb1`
const ACTION = 'sagemaker:CreatePresignedNotebookInstanceUrl'
const actions = [ACTION, 'sagemaker:*', 'sagemaker:Create*', '*', 's3:*', 'sagemaker:CreatePresigned?otebookInstanceUrl',
  'sagemaker:DescribeNotebookInstance']
const resources = ['*', NB, 'arn:aws:sagemaker:*:*:notebook-instance/nb*', `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/other`,
  'arn:aws:sagemaker:*:*:*']
const keys = {
  'aws:SourceVpce': ['vpce-1', 'vpce-2', 'vpce-*'],
  'aws:SourceVpc': ['vpc-1', 'vpc-2', 'vpc-?'],
  'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '203.0.113.7/32'],
}
const stringOps = ['StringEquals', 'StringNotEquals', 'StringEqualsIfExists', 'StringNotEqualsIfExists', 'StringLike',
  'StringNotLike', 'StringLikeIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringEquals', 'StringEqualsIgnoreCase']
const ipOps = ['IpAddress', 'NotIpAddress', 'IpAddressIfExists', 'NotIpAddressIfExists']

function condition() {
  const c = {}
  const n = 1 + Math.floor(rand() * 2)
  for (let i = 0; i < n; i++) {
    const key = pick(Object.keys(keys))
    if (rand() < 0.15) {
      c.Null = { ...(c.Null ?? {}), [key]: pick(['true', 'false']) }
      continue
    }
    const op = key === 'aws:SourceIp' ? pick(ipOps) : pick(stringOps)
    const values = some(keys[key], 2).filter((v) => op.includes('Like') || !/[*?]/.test(v) || rand() < 0.3)
    if (values.length === 0) continue
    c[op] = { ...(c[op] ?? {}), [key]: values.length === 1 ? values[0] : values }
  }
  return c
}

function statement(effect) {
  const s = { Effect: effect ?? pick(['Allow', 'Allow', 'Deny']) }
  if (rand() < 0.15) s.NotAction = some(actions, 2)
  else s.Action = some(actions, 2)
  if (rand() < 0.1) s.NotResource = some(resources.slice(1), 1)
  else s.Resource = some(resources, 2)
  if (rand() < 0.7) s.Condition = condition()
  if (s.Condition && Object.keys(s.Condition).length === 0) delete s.Condition
  return s
}
const policy = (n, effect) => ({ Version: '2012-10-17', Statement: Array.from({ length: n }, () => statement(effect)) })

function context() {
  const ctx = {}
  const r = rand()
  if (r < 0.45) {
    ctx['aws:SourceVpce'] = pick(['vpce-1', 'vpce-2', 'vpce-3'])
    ctx['aws:SourceVpc'] = pick(['vpc-1', 'vpc-2', 'vpc-3'])
  } else if (r < 0.9) {
    ctx['aws:SourceIp'] = pick(['10.1.2.3', '192.0.2.9', '203.0.113.7', '198.51.100.1'])
  }
  return ctx
}

const cases = []
for (let i = 0; i < count; i++) {
  const identity = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => policy(1 + Math.floor(rand() * 3)))
  const boundary = rand() < 0.3 ? policy(1 + Math.floor(rand() * 2)) : null
  const scps = rand() < 0.4 ? Array.from({ length: 1 + Math.floor(rand() * 2) }, () => [policy(1 + Math.floor(rand() * 2))]) : []
  const principal = pick([`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:role/DataScientist`])
  cases.push({ identity, boundary, scps, principal, context: context() })
}

const expected = []
for (const c of cases) {
  const sim = {
    identityPolicies: c.identity.map((p, i) => ({ name: `policies[${i}]`, policy: p })),
    serviceControlPolicies: c.scps.map((level, i) => ({ orgIdentifier: `ou-${i}`, policies: level.map((p, j) => ({ name: `scps[${i}][${j}]`, policy: p })) })),
    resourceControlPolicies: [],
    permissionBoundaryPolicies: c.boundary ? [{ name: 'boundary', policy: c.boundary }] : undefined,
    request: { principal: c.principal, action: ACTION, resource: { resource: NB, accountId: ACCOUNT }, contextVariables: c.context },
  }
  const r = await runSimulation(sim, {})
  if (r.errors) {
    expected.push(null)
    continue
  }
  const map = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }
  expected.push(map[r.overallResult] ?? null)
}

const lines = cases.map((c) => JSON.stringify({ policies: c.identity, boundary: c.boundary, scps: c.scps, action: ACTION,
  resource: NB, principal: c.principal, context: c.context })).join('\n') + '\n'
const run = spawnSync(binary, ['simulate', '--requests', '-'], { input: lines, encoding: 'utf8' })
const got = run.stdout.trim().split('\n').map((l) => JSON.parse(l))
let compared = 0
let bad = 0
got.forEach((g, i) => {
  if (expected[i] === null) return
  compared++
  if (g.EvalDecision !== expected[i]) {
    bad++
    console.log(`case ${i + 1}: vpcgate ${g.EvalDecision ?? g.error}, iam-simulate ${expected[i]}\n  ${JSON.stringify(cases[i])}`)
  }
})
const tally = {}
for (const e of expected) tally[e] = (tally[e] ?? 0) + 1
console.log(`decisions: ${JSON.stringify(tally)}`)
console.log(`${compared} compared, ${bad} disagreements, ${expected.filter((e) => e === null).length} rejected by iam-simulate`)
process.exit(bad === 0 && compared > 0 ? 0 : 1)
