import ArgumentParser
import RunbookOps

/// Where a runbook's hosts run, as exec and audit take it: `--target` maps and the ssh config.
struct TargetOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "Map a host to targets: ROLE=TARGET[,TARGET...]; TARGET is local, netns:NAME or ssh://[user@]host[:port].",
            valueName: "role=target"))
    var targets: [String] = []

    @Option(
        help: ArgumentHelp(
            "Pass this file to ssh as -F (keys, known hosts, jump hosts) for ssh:// targets.", valueName: "file"))
    var sshConfig: String?

    /// The `--target` map; a malformed one is a usage error.
    func map() throws -> TargetMap {
        try Output.targets(targets)
    }
}
