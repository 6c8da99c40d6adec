import ArgumentParser
import RunbookCore
import RunbookExport
import RunbookOps

struct RunbookCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Turn Markdown runbooks into typed, executable, verifiable steps.",
        discussion: """
            runbook reads the code blocks of a Markdown runbook (a how-to post, a wiki page) and \
            types them: shell commands with the host, directory and user of their prompts, sysctl \
            settings, route changes, interface addresses, IPVS rules, and the output the doc \
            promises (route tables, address listings and IPVS tables included).

            It runs them on the hosts they belong to (exec), writes them as a shell script, a \
            sysctl.d file, an Ansible playbook or an IPVS table (export), compares live machines with what the \
            doc says (audit), and rehearses a network runbook in a lab of network namespaces (lab).

            Examples:
              runbook plan runbooks/one-network-nat.md
              runbook parse runbooks/one-network-nat.md --format json | jq '.steps[].kind'
              sudo runbook lab run runbooks/one-network-nat.md
              runbook exec runbooks/one-network-nat.md --target director=local --host director --dry-run
              runbook audit runbooks/one-network-nat.md --host director --report junit:audit.xml

            Exit status: 0 success, 1 a step failed or the doc and reality differ (exec, audit, \
            lab), 2 usage error or a runbook that cannot be read.

            Shell completions: runbook --generate-completion-script bash|zsh|fish (installed by \
            scripts/install.sh, with the man page).
            """,
        version: RunbookVersion.description,
        subcommands: [
            ParseCommand.self, PlanCommand.self, CheckCommand.self, ExecCommand.self, ExportCommand.self,
            AuditCommand.self, LabCommand.self,
        ]
    )
}

/// Runs the CLI with exit codes scripts can rely on: argument errors exit 2, like a runbook
/// that cannot be parsed (ArgumentParser's default is 64), and so does every user's problem a
/// layer throws (`UsageProblem`), printed the same way for every command; help keeps each
/// example on one line.
@main
enum Main {
    static func main() {
        do {
            var command = try RunbookCLI.parseAsRoot()
            try command.run()
        } catch let problem as UsageProblem {
            Output.error(problem)
            RunbookCLI.exit(withError: ExitCodeError.parse)
        } catch {
            let code = RunbookCLI.exitCode(for: error)
            let message = RunbookCLI.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Output.standardOutput(HelpText.unwrappingExamples(message) + "\n") }
                RunbookCLI.exit(withError: nil)
            }
            if !message.isEmpty { Output.standardError(message + "\n") }
            RunbookCLI.exit(withError: code == .validationFailure ? ExitCode(2) : code)
        }
    }
}
