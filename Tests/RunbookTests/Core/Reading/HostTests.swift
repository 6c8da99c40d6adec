import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("hosts, sections and block attributes")
struct HostTests {
    @Test("a step without a prompt host inherits the previous step's host in its section")
    func inheritance() throws {
        let runbook = try parse(
            """
            ## Director

            ```
            director# sysctl -w net.ipv4.ip_forward=1
            ```

            Then persist it in `/etc/sysctl.conf`:

            ```
            net.ipv4.ip_forward = 1
            ```

            ## Elsewhere

            ```
            net.ipv4.ip_forward = 0
            ```
            """)
        #expect(runbook.steps.map(\.host) == ["director", "director", nil])
        #expect(runbook.steps.map(\.section) == ["Director", "Director", "Elsewhere"])
    }

    @Test("hosts are listed once each, in order of first appearance, however many there are")
    func hostList() throws {
        let names = (1...40).map { "node\($0)" }
        let blocks = (names + names.reversed()).map { "```console\n\($0)# modprobe ip_vs\n```" }
        let runbook = try parse(blocks.joined(separator: "\n\n"))
        #expect(runbook.hosts == names)
    }

    @Test("`{host=...}` and friends override what prompts say")
    func attributes() throws {
        let runbook = try parse(
            """
            ```console {host=realserver user=admin cwd=/tmp}
            director:/etc/lvs# route -n
            ```
            """)
        let step = try #require(runbook.steps.first)
        #expect(step.host == "realserver")
        #expect(step.user == "admin")
        #expect(step.cwd == "/tmp")
    }

    @Test("`{skip}` blocks yield no steps")
    func skip() throws {
        #expect(try parse("```sh {skip}\nreboot\n```\n").steps.isEmpty)
    }

    @Test("an unknown attribute is a warning, so a typo does not go unnoticed")
    func unknownAttribute() throws {
        let runbook = try parse("```sh {hots=director}\nreboot\n```\n")
        #expect(runbook.warnings.first?.message.hasPrefix("unknown block attribute 'hots=director'") == true)
    }

    @Test("code blocks inside list items keep their file lines")
    func listItem() throws {
        let runbook = try parse(
            """
            1. Turn forwarding on:

               ```sh
               sysctl -w net.ipv4.ip_forward=1
               ```
            """)
        #expect(runbook.steps.first?.line == 4)
    }
}
