import ArgumentParser
import RunbookCore
import RunbookOps

/// Where a runbook's hosts run, as exec, audit and check take it: `--target` maps, an Ansible
/// inventory and the ssh config.
struct TargetOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "Map a host to targets: ROLE=TARGET[,TARGET...]; TARGET is local, netns:NAME or ssh://[user@]host[:port].",
            valueName: "role=target"))
    var targets: [String] = []

    @Option(
        help: ArgumentHelp(
            "Read targets from an Ansible inventory (INI or YAML): a group named like a role supplies its hosts, as ssh://ansible_user@ansible_host:ansible_port. --target wins, role by role.",
            valueName: "file"))
    var inventory: String?

    @Option(
        help: ArgumentHelp(
            "Keep only the inventory hosts this Ansible pattern names: hosts or groups, * wildcards, joined by , or :, with !NAME to leave out and &NAME to intersect.",
            valueName: "pattern"))
    var limit: String?

    @Option(
        help: ArgumentHelp(
            "Pass this file to ssh as -F (keys, known hosts, jump hosts) for ssh:// targets.", valueName: "file"))
    var sshConfig: String?

    func validate() throws {
        if limit != nil, inventory == nil { throw ValidationError("--limit narrows an --inventory; give one") }
    }

    /// The `--target` map; a malformed one is a usage error.
    func map() throws -> TargetMap {
        try Output.targets(targets)
    }

    /// The targets the inventory gives the runbook's roles (none without `--inventory`); an
    /// inventory that cannot be read is an error at its line, exit 2.
    func inventoryMap(for runbook: Runbook) throws -> TargetMap {
        guard let parsed = try readInventory() else { return TargetMap() }
        return try TargetMap.fromInventory(parsed, roles: runbook.hosts, limit: limit)
    }

    /// The `--inventory`, read; nil without one.
    func readInventory() throws -> Inventory? {
        guard let inventory else { return nil }
        do {
            return try InventoryReader.read(try SourceText.load(path: inventory), file: inventory)
        } catch {
            Output.report([error])
            throw ExitCodeError.parse
        }
    }
}
