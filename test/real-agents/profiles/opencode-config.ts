/**
 * The config opencode and Kilo share (Kilo is a fork): one custom provider on the AI SDK's
 * OpenAI-compatible package (bundled in both binaries, so nothing is installed), its base URL
 * the scripted server, and autoupdate and sharing off. `enabled_providers` keeps the built-in
 * providers (and Kilo's gateway model list) from being loaded at all.
 */
export const PROVIDER = 'sko';

export function providerConfig(input: { baseUrl: string; model: string; schema: string }): string {
  const config = {
    $schema: input.schema,
    autoupdate: false,
    share: 'disabled',
    enabled_providers: [PROVIDER],
    provider: {
      [PROVIDER]: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Scripted model server',
        options: { baseURL: `${input.baseUrl}/v1`, apiKey: 'sk-sko-test' },
        models: { [input.model]: { name: input.model } },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
