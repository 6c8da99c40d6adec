import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("transcripts: prompts, commands and their output")
struct TranscriptTests {
    @Test("the lines after a prompt are the command's documented output")
    func output() throws {
        let runbook = try parse(
            """
            ```console
            $ uname -s
            Linux
            $ echo hi
            hi

            ```
            """)
        #expect(runbook.steps.map(\.command) == ["uname -s", "echo hi"])
        #expect(runbook.steps[0].shellCommand?.expect?.output == "Linux")
        #expect(runbook.steps[1].shellCommand?.expect?.output == "hi")
    }

    @Test("a command without output expects nothing")
    func noOutput() throws {
        let runbook = try parse("```\n# modprobe ip_vs\n```\n")
        #expect(runbook.steps.first?.shellCommand == Command(text: "modprobe ip_vs", expect: nil))
    }

    @Test("a trailing backslash continues the command, PS2 `> ` included")
    func continuation() throws {
        let runbook = try parse(
            """
            ```console
            $ apt-get install -y \\
            >   iproute2
            done
            ```
            """)
        #expect(runbook.steps.first?.command == "apt-get install -y \\\n  iproute2")
        #expect(runbook.steps.first?.shellCommand?.expect?.output == "done")
    }

    @Test("a heredoc's body belongs to the command, even lines that look like prompts")
    func heredoc() throws {
        let runbook = try parse(
            """
            ```console
            $ cat > /tmp/x <<'END'
            # not a prompt
            $ nor this
            END
            $ wc -l /tmp/x
            2 /tmp/x
            ```
            """)
        #expect(runbook.steps.count == 2)
        #expect(runbook.steps[0].command == "cat > /tmp/x <<'END'\n# not a prompt\n$ nor this\nEND")
        #expect(runbook.steps[1].line == 6)
    }

    @Test("in a shell-labelled block a bare `# ` line is a comment")
    func shellComment() throws {
        let runbook = try parse(
            """
            ```bash
            # turn forwarding on
            $ sysctl -w net.ipv4.ip_forward=1
            ```
            """)
        #expect(runbook.steps.count == 1)
        #expect(runbook.steps[0].sysctl?.key == "net.ipv4.ip_forward")
    }

    @Test("after a named prompt, `# ` lines are output, not root prompts")
    func bareAfterNamed() throws {
        let runbook = try parse(
            """
            ```
            director# cat /etc/sysctl.conf
            # forwarding
            net.ipv4.ip_forward = 1
            ```
            """)
        #expect(runbook.steps.count == 1)
        #expect(runbook.steps[0].shellCommand?.expect?.output == "# forwarding\nnet.ipv4.ip_forward = 1")
    }

    @Test("a bare `# ` followed by prose is a comment, not a command")
    func proseComment() throws {
        let runbook = try parse(
            """
            ```
            # check the value
            sysctl net.ipv4.ip_forward
            ```
            """)
        #expect(runbook.steps.map(\.command) == ["sysctl net.ipv4.ip_forward"])
    }

    @Test("an unterminated heredoc is a warning and runs to the end of the block")
    func unterminatedHeredoc() throws {
        let runbook = try parse(
            """
            ```console
            $ cat <<EOF > /tmp/x
            a
            ```
            """)
        #expect(runbook.steps.count == 1)
        #expect(
            runbook.warnings.map(\.description) == [
                "test.md:2: warning: heredoc <<EOF is never terminated; it runs to the end of the block"
            ])
    }

    @Test("CRLF line endings do not leak into commands or output")
    func crlf() throws {
        let runbook = try parse("```console\r\n$ uname\r\nLinux\r\n```\r\n")
        #expect(runbook.steps.first?.command == "uname")
        #expect(runbook.steps.first?.shellCommand?.expect?.output == "Linux")
    }
}

@Suite("scripts: blocks without prompts")
struct ScriptTests {
    @Test("every logical line of a shell block is a command, comments skipped")
    func shellBlock() throws {
        let runbook = try parse(
            """
            ```sh
            # install
            apt-get update
            apt-get install -y \\
              nftables
            ```
            """)
        #expect(runbook.steps.map(\.command) == ["apt-get update", "apt-get install -y \\\n  nftables"])
        #expect(runbook.steps.map(\.line) == [3, 4])
        #expect(runbook.steps.allSatisfy { $0.shellCommand?.expect == nil })
    }

    @Test("an unlabelled block of known commands is a script")
    func unlabelled() throws {
        let runbook = try parse("```\nmodprobe ip_vs\nlsmod\n```\n")
        #expect(runbook.steps.map(\.command) == ["modprobe ip_vs", "lsmod"])
    }

    @Test("an unlabelled block of output or prose yields no steps")
    func unlabelledOutput() throws {
        let runbook = try parse("```\nipvsadm-1.27-7.el7.x86_64\nsome text\n```\n")
        #expect(runbook.steps.isEmpty)
    }

    @Test("a loop is one step, not one per line")
    func compound() throws {
        let runbook = try parse(
            """
            ```bash
            for i in 1 2; do
              echo $i
            done
            echo after
            ```
            """)
        #expect(runbook.steps.map(\.command) == ["for i in 1 2; do\n  echo $i\ndone", "echo after"])
    }

    @Test("a shell-labelled ASCII diagram yields no steps and a warning")
    func diagram() throws {
        let runbook = try parse(
            """
            ```bash
             ______
            | host |----+
            |______|    |
            ```
            """)
        #expect(runbook.steps.isEmpty)
        #expect(runbook.warnings.count == 1)
    }

    @Test("other languages yield no steps (rule 8)")
    func otherLanguage() throws {
        let runbook = try parse("```yaml\n# comment\nkey: value\n```\n\n```python\nself.x = 1\n```\n")
        #expect(runbook.steps.isEmpty)
    }
}
