import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("prompt forms")
struct PromptTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var host: String?
        var cwd: String?
        var user: String?
        var command: String
        var testDescription: String { line }
    }

    @Test(
        "each documented prompt form gives host, cwd and user",
        arguments: [
            Case(line: "$ ip route", host: nil, cwd: nil, user: nil, command: "ip route"),
            Case(line: "# ip route", host: nil, cwd: nil, user: "root", command: "ip route"),
            Case(line: "director# ip route", host: "director", cwd: nil, user: "root", command: "ip route"),
            Case(line: "director$ ip route", host: "director", cwd: nil, user: nil, command: "ip route"),
            Case(
                line: "director:/etc/lvs# route -n", host: "director", cwd: "/etc/lvs", user: "root",
                command: "route -n"),
            Case(line: "node1:~$ ip route", host: "node1", cwd: "~", user: nil, command: "ip route"),
            Case(line: "admin@node1:/srv$ ip route", host: "node1", cwd: "/srv", user: "admin", command: "ip route"),
            Case(
                line: "[root@localhost ~]# modprobe ip_vs", host: "localhost", cwd: "~", user: "root",
                command: "modprobe ip_vs"),
            Case(
                line: "[root@ubuntu2 ~]$ timedatectl", host: "ubuntu2", cwd: "~", user: "root", command: "timedatectl"),
            Case(line: "core@node0 ~ $ ip route", host: "node0", cwd: "~", user: "core", command: "ip route"),
            Case(
                line: "laptop:~ alice$ curl http://x", host: "laptop", cwd: "~", user: "alice", command: "curl http://x"
            ),
            Case(line: "~ # gobgp global", host: nil, cwd: "~", user: "root", command: "gobgp global"),
            Case(line: "➜  lvs git:(main) ✗ ip route", host: nil, cwd: "lvs", user: nil, command: "ip route"),
            Case(line: "#\tip route", host: nil, cwd: nil, user: "root", command: "ip route"),
        ])
    func form(_ example: Case) throws {
        let prompt = try #require(Prompt.match(Substring(example.line)))
        #expect(prompt.host == example.host)
        #expect(prompt.cwd == example.cwd)
        #expect(prompt.user == example.user)
        #expect(prompt.command == Substring(example.command))
    }

    @Test(
        "lines that are not prompts",
        arguments: [
            "Kernel IP routing table",
            "0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0",
            "echo \"a # b\"",
            "cat foo # comment",
            "#comment without a space",
            "a=b # c",
        ])
    func notPrompt(_ line: String) {
        #expect(Prompt.match(Substring(line)) == nil)
    }
}
