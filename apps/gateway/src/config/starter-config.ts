import { installedServerEntry } from '../serve/default-fleet.js';

/**
 * The commented starter config `corral init` writes: every setting of the config, with the two
 * reference servers installed with corral active (they start offline) and the rest as examples.
 */
export function starterConfig(): string {
  const everything = localServer('@modelcontextprotocol/server-everything', ['stdio']);
  const memory = localServer('@modelcontextprotocol/server-memory', []);
  return `# Corral gateway config. Run it:       corral serve --config corral.yaml
# Check it after editing:               corral validate corral.yaml
# The file is watched: a changed entry restarts only that server.
#
# mcpServers is the map Claude Desktop, VS Code and Cursor use, so their config files work as
# they are. \${VAR} is read from the environment, \${VAR:-default} falls back when VAR is unset
# or empty, \${configDir} is this file's directory. A relative cwd, and a command with a "/" in
# it, are resolved against this file's directory.

# The one MCP endpoint your clients connect to: http://127.0.0.1:8090/mcp
aggregator:
  host: 127.0.0.1 # any other address exposes your tools to the network
  port: 8090 # 0 picks a free port
  path: /mcp
  prefix: x # tools are exposed as x_<server>_<tool>; "" for none
  yolo: false # true lifts the denylist of destructive tools
  # token: "\${CORRAL_TOKEN}" # clients must send Authorization: Bearer <token> (16+ characters)
  # denylist: { add: ["*_drop_*"], allow: ["x_memory_delete_entities"] }
  # metaTools: beside # list_tools, filter_tools, describe_tool, call_tool (off | replace | beside)

mcpServers:
  # Local servers run over stdio. These two are installed with corral, so they start offline.
  everything:
    command: ${everything.command}
    args: ${everything.args}
  memory:
    command: ${memory.command}
    args: ${memory.args}
    env:
      MEMORY_FILE_PATH: "\${configDir}/memory.jsonl" # where the knowledge graph is kept
    toolPrefix: mem # tools become x_mem_<tool> (default: the server's name; "" for none)
    timeout: 30 # seconds to connect and list tools (default 30)
    autoStart: true # start with the gateway (default); false: wait for \`corral start memory\`
    restart: on-failure # on-failure (default) | always | never
    # ping: { intervalMs: 15000, timeoutMs: 5000, failures: 3 } # liveness checks
    # stopGraceMs: 2000 # how long a stop waits before it signals the process

  # The same server fetched from npm (needs the network on its first start):
  # memory-npx:
  #   command: npx
  #   args: [-y, "@modelcontextprotocol/server-memory"]
  #   cwd: ./data # relative to this file
  #   disabled: true # left out; kept for later

  # A remote server over streamable HTTP (type: sse for older servers):
  # remote:
  #   url: "http://127.0.0.1:9000/mcp"
  #   type: streamable-http
  #   headers: { Authorization: "Bearer \${REMOTE_TOKEN}" }

  # A server that needs another service running first:
  # metrics:
  #   command: ./prom-mcp
  #   dependsOn: [tunnel]
  #   toolPrefix: prom
  #   timeout: 20

# Plugin service types, by type name. \`process\` runs a program and waits until it is ready:
# services:
#   tunnel:
#     type: process
#     command: ssh
#     args: [-N, -L, "9090:localhost:9090", my-host]
#     ready: { tcp: 9090 } # or { stdout: "listening" }

# More service types come from plugins (module specifiers, resolved from this file's directory):
# plugins: ["./my-plugin.js"]
`;
}

/** `node <entry>` for a server installed with corral; the npx form when it is not installed. */
function localServer(packageName: string, extra: string[]): { command: string; args: string } {
  try {
    const entry = installedServerEntry(packageName);
    return { command: yamlString(process.execPath), args: yamlList([entry, ...extra]) };
  } catch {
    return { command: 'npx', args: yamlList(['-y', packageName, ...extra]) };
  }
}

function yamlList(items: readonly string[]): string {
  return `[${items.map(yamlString).join(', ')}]`;
}

/** JSON strings are valid YAML double-quoted scalars, escapes included. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}
