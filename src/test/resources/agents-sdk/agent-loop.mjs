// One agent with one function tool (write_file), run twice against an OpenAI-compatible Responses API (the gateway):
// a tool loop (the model calls write_file, the SDK runs it and sends the output, the model answers), then a second
// run that continues the first run's last response with previousResponseId (the server keeps the conversation), then
// a third that continues the second and asks for the file again: a tool loop on the server-kept conversation.
// Prints one JSON line: the SDK's version, and per run its final output, the tool calls, the response ids.
//
// Environment: AGENT_BASE_URL (e.g. http://127.0.0.1:4000/v1), AGENT_API_KEY (a virtual key), AGENT_MODEL (a
// model_name), AGENT_STREAM ("true" streams both runs), AGENT_PROMPT, AGENT_FOLLOW_UP. Files are written in the
// working directory. Run from a directory whose node_modules holds the pinned install (the test links it).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve, relative, isAbsolute } from 'node:path';
import { Agent, run, tool, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';

const versionOf = (pkg) => JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url))).version;
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

// The gateway is an OpenAI-compatible endpoint: an OpenAI client with its base URL and a virtual key, the Responses API.
setDefaultOpenAIClient(new OpenAI({ baseURL: env('AGENT_BASE_URL'), apiKey: env('AGENT_API_KEY'), maxRetries: 0 }));
setOpenAIAPI('responses');
setTracingDisabled(true); // traces would go to api.openai.com with the same key

const cwd = process.cwd();
const writeFile = tool({
  name: 'write_file',
  description: 'Write a text file in the working directory.',
  parameters: z.object({ path: z.string(), content: z.string() }),
  execute: async ({ path, content }) => {
    const target = resolve(cwd, path);
    const rel = relative(cwd, target);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new Error('outside the working directory');
    writeFileSync(target, content);
    return `wrote ${Buffer.byteLength(content)} bytes to ${rel}`;
  },
});

const agent = new Agent({
  name: 'Gateway test agent',
  instructions: 'You write files when asked. Answer briefly.',
  model: env('AGENT_MODEL'),
  tools: [writeFile],
});

const stream = process.env.AGENT_STREAM === 'true';

async function once(input, options) {
  let events = 0;
  let result;
  if (stream) {
    result = await run(agent, input, { ...options, stream: true });
    for await (const ev of result) if (ev.type === 'raw_model_stream_event') events++;
    await result.completed;
  } else {
    result = await run(agent, input, options);
  }
  const toolCalls = result.newItems.filter((i) => i.type === 'tool_call_item')
    .map((i) => ({ name: i.rawItem.name, callId: i.rawItem.callId, arguments: i.rawItem.arguments }));
  const toolOutputs = result.newItems.filter((i) => i.type === 'tool_call_output_item')
    .map((i) => ({ callId: i.rawItem.callId, output: i.output }));
  return {
    finalOutput: result.finalOutput,
    toolCalls,
    toolOutputs,
    responseIds: result.rawResponses.map((r) => r.responseId),
    lastResponseId: result.lastResponseId,
    streamEvents: events,
  };
}

const first = await once(env('AGENT_PROMPT'));
const second = await once(env('AGENT_FOLLOW_UP'), { previousResponseId: first.lastResponseId });
// A tool loop the server keeps from its start: the SDK sends the tool's output with only the previous response's id.
const third = await once(env('AGENT_PROMPT'), { previousResponseId: second.lastResponseId });
console.log(JSON.stringify({
  sdkVersion: versionOf('@openai/agents'),
  openaiVersion: versionOf('openai'),
  node: process.version,
  stream,
  first,
  second,
  third,
}));
