import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Runbook

struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Rehearse a network runbook for real in a disposable lab of network namespaces.",
        discussion: """
            The lab is built from the runbook's architecture diagram: one network namespace per \\
            host (client, director, realservers) on a bridge in a namespace of its own, each with \\
            an eth0 holding the diagram's addresses. Nothing is connected to this machine's own \\
            network.

            Example:
              runbook lab run runbooks/one-network-nat.md
            """,
        subcommands: [LabTopologyCommand.self]
    )
}

struct LabTopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Print the hosts, roles, addresses and subnet the lab would build."
    )

    @Argument(help: "The Markdown runbook.")
    var file: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let runbook = try Output.load(file)
        do {
            let topology = try LabTopology.of(runbook)
            Output.standardOutput(format == .json ? topology.json() : topology.text(file: file))
        } catch {
            Output.standardError("\(error.description)\n")
            throw ExitCodeError.parse
        }
    }
}
