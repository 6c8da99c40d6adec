import ArgumentParser
import RunbookCore
import RunbookExport
import RunbookOps

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the steps a runbook would run, grouped by host, in execution order.",
        discussion: """
            Each line gives the step's number, its kind (sysctl, route, command), what it does \
            and the `file:line` it comes from. Steps whose host the doc does not name are listed \
            under "\(PlanRenderer.unassigned)".

            Examples:
              runbook plan runbooks/one-network-nat.md
              runbook plan runbooks/one-network-nat.md --host realserver
            """
    )

    @Argument(help: "The Markdown runbook to read.")
    var file: String

    @Option(help: "Show only the steps of this host (a role the doc names, such as `director`).")
    var host: String?

    @OptionGroup var variables: VariableOptions

    func run() throws {
        let runbook = try Output.load(file, overrides: try variables.overrides())
        if let host, !runbook.hosts.contains(host) {
            let known =
                runbook.hosts.isEmpty ? "the runbook names no hosts" : "hosts: \(runbook.hosts.joined(separator: ", "))"
            Output.error("no steps for host '\(host)' in \(file) (\(known))")
            throw ExitCodeError.parse
        }
        Output.standardOutput(PlanRenderer(color: Output.wantsColor(.output)).plan(runbook, host: host))
    }
}
