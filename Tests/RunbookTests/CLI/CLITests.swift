import Foundation
import RunbookTestSupport
import Testing

/// What a user meets before any runbook: the version, the man page, the completions.
@Suite("the command line")
struct CLITests {
    @Test("--version gives runbook's version and the libcmark it reads with")
    func version() throws {
        let result = try runCLI(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("runbook 0."))
        #expect(result.stdout.contains("(libcmark 0."))
    }

    @Test("the man page in docs/ was generated from this CLI (scripts/generate-manual.sh makes both anew)")
    func manualUpToDate() throws {
        let committed = try String(
            contentsOf: packageRoot.appendingPathComponent("docs/runbook.help.json"), encoding: .utf8)
        let current = try runCLI(["--experimental-dump-help"])
        #expect(
            current.stdout == committed,
            "the CLI changed since docs/runbook.1 was generated: run scripts/generate-manual.sh")
        let manual = try String(contentsOf: packageRoot.appendingPathComponent("docs/runbook.1"), encoding: .utf8)
        #expect(manual.contains(".Nm runbook"))
        #expect(!manual.contains("\n\n"), "blank lines in mdoc (the script turns them into .Pp)")
    }

    @Test(
        "help examples stay one command a line, whatever the terminal's width",
        arguments: [[], ["parse"], ["plan"], ["check"], ["exec"], ["export"], ["audit"], ["lab"]])
    func examplesNeverWrap(command: [String]) throws {
        func examples(columns: Int) throws -> [Substring] {
            let help = try runCLI(command + ["--help"], environment: ["COLUMNS": "\(columns)"]).stdout
            let block = try #require(help.components(separatedBy: "Examples:\n").dropFirst().first, "\(help)")
            return block.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }
        }
        let narrow = try examples(columns: 40)
        #expect(!narrow.isEmpty)
        #expect(narrow == (try examples(columns: 500)))
        #expect(narrow.allSatisfy { $0.hasPrefix("  runbook ") || $0.hasPrefix("  sudo runbook ") }, "\(narrow)")
    }

    @Test("completion scripts for bash, zsh and fish name the commands", arguments: ["bash", "zsh", "fish"])
    func completions(_ shell: String) throws {
        let result = try runCLI(["--generate-completion-script", shell])
        #expect(result.status == 0)
        #expect(["exec", "audit", "export", "lab"].allSatisfy { result.stdout.contains($0) })
    }
}
