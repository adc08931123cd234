// Runs statemachine/asl.json here, the way Step Functions would, with aws-local-stepfunctions.
//
// Job on stdin (never on the command line, which every user of the machine can read):
//   {"definition": "<path of asl.json>", "substitutions": {"PhaseFunctionArn": "..."},
//    "input": {...}, "context": {"Execution": {...}}, "taskEndpoint": "http://127.0.0.1:<port>/task"}
// Every Task state is answered by the endpoint: POST {"state", "resource", "input"} (the input after
// Parameters), answer {"output": ...} or {"error": <name>, "cause": <text>}; an error's name is what
// Retry and Catch match, as with a Lambda's errorType.
// Stdout: one JSON object per line: {"type":"event",...} as states run, then {"type":"result",...}.

// aws-local-stepfunctions 3.0.0 wants Node 22; Node 20 lacks only Promise.withResolvers.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
const { StateMachine } = await import('aws-local-stepfunctions');
import { readFileSync } from 'node:fs';
import http from 'node:http';

const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** DefinitionSubstitutions, as CloudFormation applies them; a placeholder without a value is an error. */
function substitute(text, substitutions) {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name) => {
    if (!(name in substitutions)) throw new Error(`asl.json references \${${name}}, which has no substitution`);
    return substitutions[name];
  });
}

/** Every Task state, Map and Parallel bodies included: a Task left to the library would call real AWS. */
function taskStates(states, found = {}) {
  for (const [name, s] of Object.entries(states)) {
    if (s.Type === 'Task') found[name] = s.Resource;
    if (s.Type === 'Map') taskStates((s.ItemProcessor ?? s.Iterator).States, found);
    if (s.Type === 'Parallel') s.Branches.forEach((b) => taskStates(b.States, found));
  }
  return found;
}

// node:http rather than fetch: fetch gives up on an answer after 300 s, and a phase may take longer.
function post(endpoint, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function handlerFor(endpoint, state, resource) {
  return async (input) => {
    const response = await post(endpoint, { state, resource, input });
    if (response.status !== 200) {
      const e = new Error(`task endpoint answered HTTP ${response.status} for ${state}: ${response.text}`);
      e.name = 'States.TaskFailed';
      throw e;
    }
    const answer = JSON.parse(response.text);
    if (answer.error) {
      const e = new Error(answer.cause ?? '');
      e.name = answer.error;
      throw e;
    }
    return answer.output;
  };
}

function summary(event) {
  const e = { type: 'event', event: event.type, timestamp: event.timestamp };
  if (event.state) e.state = event.state.name;
  if (event.index !== undefined) e.index = event.index;
  if (event.parentState) e.parent = event.parentState.name;
  if (event.Error !== undefined) { e.error = event.Error; e.cause = event.Cause; }
  if (event.retrier) e.retry = event.retrier;
  return e;
}

const job = await readStdin();
try {
  const definition = JSON.parse(substitute(readFileSync(job.definition, 'utf8'), job.substitutions ?? {}));
  const handlers = {};
  for (const [state, resource] of Object.entries(taskStates(definition.States))) {
    handlers[state] = handlerFor(job.taskEndpoint, state, resource);
  }
  const machine = new StateMachine(definition);
  const execution = machine.run(job.input, { overrides: { taskResourceLocalHandlers: handlers }, context: job.context ?? {} });
  const events = (async () => { for await (const ev of execution.eventLogs) emit(summary(ev)); })();
  let result;
  try {
    const output = await execution.result;
    result = { type: 'result', status: 'SUCCEEDED', output };
  } catch (err) {
    const root = err.cause ?? err;
    const timedOut = err.name === 'ExecutionTimeoutError';
    result = { type: 'result', status: timedOut ? 'TIMED_OUT' : 'FAILED', error: timedOut ? 'States.Timeout' : root.name,
      cause: root.cause !== undefined && typeof root.cause === 'string' ? root.cause : root.message };
  }
  await Promise.race([events, new Promise((r) => setTimeout(r, 200))]);
  emit(result);
} catch (err) {
  emit({ type: 'result', status: 'FAILED', error: 'States.Runtime', cause: String(err.message ?? err) });
  process.exitCode = 2;
}
