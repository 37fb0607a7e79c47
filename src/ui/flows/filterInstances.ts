import type { Prompter } from '../prompter';

/**
 * Asks for the Instances view's filter: words that must all match the name, GPU, state, id, image
 * or location ("4090 running"; "-stopped" leaves out). Resolves with the new text ("" clears), or
 * undefined when dismissed (the filter stays as it was).
 */
export async function filterInstancesFlow(prompter: Prompter, current?: string): Promise<string | undefined> {
  const answer = await prompter.input({
    title: 'Filter Instances',
    prompt: 'Show only instances matching every word: name, GPU, state, id, image or location. Start a word with - to leave it out. Empty shows all.',
    placeholder: 'e.g. 4090 running, vllm, -stopped',
    value: current ?? '',
  });
  return typeof answer === 'string' ? answer.trim() : undefined;
}
