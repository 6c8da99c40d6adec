import ArgumentParser
import RunbookCore
import RunbookExport
import RunbookOps

extension Auditor.Scope: ExpressibleByArgument {}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Compare live targets with what a runbook says, without changing anything.",
        discussion: """
            For each host the doc names, on its targets (mapped as for exec: --target or \
            `targets:` in the front matter), runbook derives the end state the steps describe \
            and compares:
              - sysctl values read from /proc/sys (one command per ssh target), including values \
            right on paper but ineffective because the kernel combines them with the `all` value \
            (send_redirects: OR, rp_filter: maximum, ...);
              - persisted values, from the files `sysctl --system` reads, in its order: a value \
            overridden by a later file is reported with that file and line (--root DIR reads \
            them under DIR; a namespace's files are those under /etc/netns/NAME/);
              - the main routing table, as a set, against the last documented table with later \
            route changes applied;
              - the documented output of read-only commands (route -n, ip route, ip addr, \
            ip -j ..., sysctl KEY, cat /proc/...; or a block marked {audit}), re-run. Other \
            commands are listed as not audited.

            --update writes what the re-run commands printed into the runbook in place of the \
            stale documented output, changing nothing else in the file.

            Reports: text on the terminal by default; --report FORMAT[:FILE] (text, json, junit) \
            may be repeated, e.g. --report junit:audit.xml --report json:audit.json. In JUnit a \
            target is a test suite, a finding a test case: a difference is a failure, a target \
            that cannot be reached is an error.

            Exit status: 0 everything matches, 1 a difference was found, 2 a target could not be \
            reached or read (the other targets are still audited and reported), or a usage or \
            parse error.

            Examples:
              runbook audit runbooks/one-network-nat.md --target director=netns:d --target realserver=netns:rs1,netns:rs2
              runbook audit runbooks/one-network-nat.md --host director --scope persisted --root /mnt/image
              runbook audit runbooks/one-network-nat.md --target realserver=ssh://admin@rs1 --report junit:audit.xml
            """
    )

    @Argument(help: "The Markdown runbook to audit against.")
    var file: String

    @OptionGroup var target: TargetOptions

    @Option(help: "Audit only this host's steps (on local unless mapped).")
    var host: String?

    @Option(help: "What to compare: runtime (live values, routes, commands), persisted (config files) or all.")
    var scope: Auditor.Scope = .all

    @OptionGroup var reports: ReportOptions

    @OptionGroup var fleet: FleetOptions

    @Option(help: ArgumentHelp("Read config files under this directory instead of /.", valueName: "dir"))
    var root: String?

    @Flag(help: "Rewrite the documented output of re-run commands that differ with what they printed.")
    var update = false

    func run() throws {
        let runbook = try Output.load(file)
        var options = Auditor.Options()
        options.targets = try target.map()
        options.inventoryTargets = try target.inventoryMap(for: runbook)
        options.host = host
        options.scope = scope
        options.root = root ?? ""
        options.sshConfig = target.sshConfig
        options.forks = fleet.forks
        let findings = try Auditor(runbook: runbook, options: options).run()
        try reports.write(text: AuditReport(color: Output.wantsColor(.output)).text(findings)) {
            AuditReport(color: false).render(findings, as: $0)
        }
        if update {
            let result = try DocumentedOutput.update(file: file, with: findings.outputUpdates(in: runbook))
            for refused in result.refused { Output.standardError("\(refused)\n") }
            Output.standardError("\(file): updated \(result.changed) documented output(s)\n")
        }
        let errors = findings.filter { $0.verdict == .error }
        for error in errors { Output.error(error.detail ?? "cannot audit \(error.target)") }
        if !errors.isEmpty { throw ExitCodeError.parse }
        if findings.contains(where: \.verdict.isProblem) { throw ExitCode(1) }
    }
}
