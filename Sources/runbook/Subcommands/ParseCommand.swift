import ArgumentParser
import RunbookCore
import RunbookExport
import RunbookOps

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Exit codes shared by the subcommands.
enum ExitCodeError {
    static let parse = ExitCode(2)
}

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read a runbook and print its typed steps in document order.",
        discussion: """
            Steps come from code blocks only. A block is read as, in this order:
              - a sysctl config block: every line `key = value` with a dotted key;
              - a transcript: lines starting with a prompt (`$ `, `# `, `host# `, \
            `host:/dir# `, `user@host:~$ `, `[user@host dir]# `) are commands, the lines after \
            them their documented output;
              - a script: a sh/bash/shell/zsh/console block, or an unlabelled block of commands;
              - nothing (diagrams, config files, other languages).
            `echo V > /proc/sys/...` and `sysctl -w k=v` become sysctl steps; `route add|del` and \
            `ip route add|del|replace` become route steps; `route -n` and `ip route` output \
            becomes an expected route table.

            Override what is inferred in the info string: ```console {host=director} or \
            ```sh {skip}.

            --format json prints the runbook/v1 document: fields may be added, never renamed.

            Examples:
              runbook parse runbooks/one-network-nat.md
              runbook parse runbooks/one-network-nat.md --format json | jq -r '.steps[] | select(.kind == "sysctl") | .key'
            """
    )

    @Argument(help: "The Markdown runbook to read.")
    var file: String

    @Option(help: "Output format: text (one `file:line:` line per step) or json (runbook/v1).")
    var format: OutputFormat = .text

    @OptionGroup var variables: VariableOptions

    func run() throws {
        let runbook = try Output.load(file, overrides: try variables.overrides())
        switch format {
        case .json:
            runbook.writeJSON(to: Output.standardOutput)
        case .text:
            Output.standardOutput(PlanRenderer(color: Output.wantsColor(.output)).list(runbook))
        }
    }
}
