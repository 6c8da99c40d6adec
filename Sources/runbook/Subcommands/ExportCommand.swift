import ArgumentParser
import RunbookCore
import RunbookExport
import RunbookOps

extension Exporter.Format: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write a runbook as a shell script, a sysctl.d file, an Ansible playbook, an IPVS table or runbook/v1 JSON.",
        discussion: """
            shell: a POSIX sh script with one function per host and a dispatcher \
            (./setup.sh director), idempotent like exec (sysctl values compared before writing, \
            routes checked first, persisted keys edited in place), plus verify_HOST functions for \
            the documented expectations. Keys and values are quoted as data; commands are kept as \
            documented.
            sysctl: a sysctl.d drop-in for one host (--host when the runbook has several), the \
            last value of a key winning, each line with a comment naming its source line.
            ansible: a playbook with one play per host (hosts: the role name), a task per step: \
            ansible.posix.sysctl for persisted settings, guarded ansible.builtin.command tasks with \
            changed_when for runtime settings, route changes and commands (a second run reports \
            no change), ansible.builtin.assert tasks for documented route tables and output.
            ipvs: the IPVS table the director's ipvsadm steps leave, as `ipvsadm-save -n` writes             it: load it with `ipvsadm-restore < FILE` or save it as /etc/sysconfig/ipvsadm (--host             when several hosts have ipvsadm steps).
            json: the same document as `runbook parse --format json`.

            The output is rendered from Mustache templates bundled with runbook (templates/ in \
            its source); --templates DIR replaces any of them with DIR/NAME.mustache \
            (shell.sh.mustache, sysctl.conf.mustache, playbook.yml.mustache, ipvsadm.rules.mustache).

            Examples:
              runbook export runbooks/one-network-nat.md --format shell -o setup.sh
              runbook export runbooks/one-network-nat.md --format sysctl --host director -o /etc/sysctl.d/90-lvs.conf
              runbook export runbooks/one-network-nat.md --format ipvs --host director -o /etc/sysconfig/ipvsadm
            """
    )

    @Argument(help: "The Markdown runbook to export.")
    var file: String

    @Option(help: "shell, sysctl, ansible, ipvs or json.")
    var format: Exporter.Format

    @Option(help: "Export only this host's steps.")
    var host: String?

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "path"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "Use NAME.mustache files from this directory instead of the bundled templates.", valueName: "dir"))
    var templates: String?

    @OptionGroup var variables: VariableOptions

    func run() throws {
        let runbook = try Output.load(file, overrides: try variables.overrides())
        let text = try Exporter(templates: templates).render(runbook, as: format, host: host)
        if let output {
            try Exporter.write(text, to: output, format: format)
        } else {
            Output.standardOutput(text)
        }
    }
}
