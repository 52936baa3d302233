export { ConfigError, type ConfigIssue } from './errors.js';
export { configPath, type LoadedConfig, loadConfig, parseConfig } from './load.js';
export { applyOverrides, type ConfigOverrides } from './overrides.js';
export { CONFIG_RELATIVE_PATH, DEFAULT_CONFIG, defaultConfig, type OrchestratorConfig } from './schema.js';
