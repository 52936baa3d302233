/**
 * Which of the flags an agent is started with widen what it may do unattended (pure).
 *
 * The policy every host mutation carries lists them in `dangerous_flags`, and the host keeps that
 * policy with each WP event as the audit record, so the list must be what the argv really holds:
 * it is read from the argv the adapters build (and the user's extra args), never kept by hand.
 * A mode flag counts only for its widening values (`--permission-mode dontAsk` restricts, so it
 * is not listed; `acceptEdits` is). Flags the host bans outright (BANNED_DANGEROUS_FLAGS) never
 * appear in an argv we build: the adapters use the CLIs' spelled-out equivalents
 * (`--approval-mode yolo`), which are listed here, so the record still says what they do.
 */

interface WideningFlag {
  /** Listed with its value (`--permission-mode=acceptEdits`): a mode whose value says what it allows. */
  recordValue: boolean;
  /** Only these values widen; every value when absent. */
  wideningValues?: readonly string[];
  /** Whether the flag takes a value (the next argument, or after `=`). */
  takesValue: boolean;
}

const bare: WideningFlag = { recordValue: false, takesValue: false };
const listOf: WideningFlag = { recordValue: false, takesValue: true };

/** Known flags of the supported agent CLIs that let an agent act without a person approving. */
const WIDENING_FLAGS: Readonly<Record<string, WideningFlag>> = {
  // Claude Code, Letta: the permission mode.
  '--permission-mode': {
    recordValue: true,
    takesValue: true,
    wideningValues: ['acceptEdits', 'bypassPermissions', 'unrestricted', 'auto'],
  },
  // Gemini, Qwen: the approval mode.
  '--approval-mode': {
    recordValue: true,
    takesValue: true,
    wideningValues: ['yolo', 'auto_edit', 'auto-edit', 'auto'],
  },
  // Codex: its own sandbox, widened by a full-access mode or extra writable folders.
  '--sandbox': { recordValue: true, takesValue: true, wideningValues: ['danger-full-access'] },
  '--add-dir': listOf,
  // Claude Code, Copilot: tools or commands pre-approved.
  '--allowedTools': { recordValue: true, takesValue: true },
  '--allow-tool': { recordValue: true, takesValue: true },
  '--allow-all-tools': bare,
  '--allow-all': bare,
  '--allow-all-paths': bare,
  // Augment: per-tool rules; `tool:allow` widens, `tool:deny` restricts.
  '--permission': { recordValue: true, takesValue: true, wideningValues: [] },
  // Cursor: every tool call allowed, the workspace trusted without asking.
  '--force': bare,
  '--trust': bare,
  // Gemini: trusts the (fresh) worktree for the session.
  '--skip-trust': bare,
  // OpenCode, Kilo Code: approve what the agent's rules would ask about.
  '--auto': bare,
  // Banned by the host; listed so a user's extra arg is caught by the policy check, not hidden.
  '--yolo': bare,
  '--full-auto': bare,
  '--dangerously-skip-permissions': bare,
  '--dangerously-bypass-approvals-and-sandbox': bare,
};

/** Augment's `--permission <tool>:<policy>`: the rule widens unless it denies or asks. */
function augmentRuleWidens(value: string): boolean {
  const policy = value.split(':').at(-1) ?? '';
  return policy === 'allow';
}

/**
 * The widening flags in `args`, in argv order, each once: `--flag` or `--flag=value`. Positional
 * words and values are skipped; `--flag=value` and `--flag value` read the same.
 */
export function wideningFlagsIn(args: readonly string[]): string[] {
  const found: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (!arg.startsWith('--')) continue;
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const flag = WIDENING_FLAGS[name];
    if (!flag) continue;
    let value: string | undefined;
    if (flag.takesValue) {
      if (equals !== -1) value = arg.slice(equals + 1);
      else {
        value = args[index + 1];
        index += 1;
      }
    }
    if (value !== undefined && !widens(name, flag, value)) continue;
    const entry = flag.recordValue && value !== undefined ? `${name}=${value}` : name;
    if (!found.includes(entry)) found.push(entry);
  }
  return found;
}

function widens(name: string, flag: WideningFlag, value: string): boolean {
  if (name === '--permission') return augmentRuleWidens(value);
  return flag.wideningValues === undefined || flag.wideningValues.includes(value);
}
