import ArgumentParser
import RunbookCore
import RunbookOps

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Lint a runbook, and with targets check them, before anything runs.",
        discussion: """
            Reads the runbook and reports, each at its line: commands that would never end \
            (editors, pagers, top, watch, ping or tcpdump without a count, a heredoc or quote \
            left open), placeholders (<ip>, x.x.x.x, YOUR_...), variables set nowhere, sysctl \
            keys this kernel does not have, output and notes read as commands, steps without a \
            host in a document with several, hosts without a target.

            With targets (--target or the front matter's targets:), it also checks, reading \
            only, that each target can be reached, that the programs its steps run are \
            installed there (one command -v round trip per target) and that its kernel has the \
            sysctl keys the steps set.

            Examples:
              runbook check runbooks/one-network-nat.md
              runbook check runbooks/one-network-nat.md --target director=netns:lvs-d --target realserver=netns:rs1

            Exit status: 0 no error (warnings may be printed), 1 an error was found, 2 usage \
            error or a runbook that cannot be read.
            """
    )

    @Argument(help: "The Markdown runbook to check.")
    var file: String

    @OptionGroup var target: TargetOptions

    @OptionGroup var variables: VariableOptions

    func run() throws {
        let runbook = try Output.load(file, overrides: try variables.overrides())
        var targets = try target.map()
        targets.roles.merge(try target.inventoryMap(for: runbook).roles) { commandLine, _ in commandLine }
        do {
            let declared = try TargetMap.fromFrontMatter(runbook.frontMatter, file: runbook.file)
            targets.roles.merge(declared.roles) { commandLine, _ in commandLine }
        } catch {
            Output.report([error])
            throw ExitCodeError.parse
        }
        var context = RunbookLint.Context()
        if targets.roles.isEmpty {
            // Without targets, the keys are looked for in this machine's kernel.
            context.sysctlExists = { LocalKernel.hasSysctl($0) }
        } else {
            context.targetRoles = Set(targets.roles.keys)
        }
        var findings = runbook.warnings + RunbookLint.findings(runbook, context: context)
        if !targets.roles.isEmpty {
            findings += Preflight.findings(runbook, targets: targets, sshConfig: target.sshConfig)
        }
        findings.sort { ($0.location.line, $0.severity.rawValue) < ($1.location.line, $1.severity.rawValue) }
        for finding in findings where !runbook.warnings.contains(finding) {
            Output.standardOutput("\(finding.description)\n")
        }
        let errors = findings.filter { $0.severity == .error }.count
        Output.standardError(
            "check: \(errors) error\(errors == 1 ? "" : "s"), \(findings.count - errors) warning\(findings.count - errors == 1 ? "" : "s")\n"
        )
        if errors > 0 { throw ExitCode(1) }
    }
}
