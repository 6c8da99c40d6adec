import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("export")
struct ExportTests {
    static let hasShellcheck = FileManager.default.isExecutableFile(atPath: "/usr/bin/shellcheck")
    let example = "runbooks/one-network-nat.md"
    let quoting = "Tests/RunbookTests/Fixtures/quoting.md"

    @Test(
        "each format of the example matches its golden file",
        arguments: [
            ("shell", "one-network-nat.export.sh"), ("sysctl", "one-network-nat.export.conf"),
            ("ansible", "one-network-nat.playbook.yml"), ("json", "one-network-nat.json"),
        ])
    func golden(format: String, golden: String) throws {
        var arguments = ["export", example, "--format", format]
        if format == "sysctl" { arguments += ["--host", "director"] }
        let result = try runCLI(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        try expectGolden(result.stdout, golden)
    }

    @Test(
        "a runbook text that YAML would read as a boolean, number or null is a plain quoted string in the playbook (ansible-core 2.19 reads !unsafe \"true\" as True)",
        arguments: ["true", "0", "yes", "null", "1.5", "2026-11-29"])
    func yamlLookalikes(text: String) {
        #expect(AnsibleExport.unsafe(text) == "\"\(text)\"")
    }

    @Test("text with a template stays !unsafe", arguments: ["{{ x }}", "true {{ x }}", "{% if %}", "director"])
    func stillUnsafe(text: String) {
        #expect(AnsibleExport.unsafe(text).hasPrefix("!unsafe "))
    }

    @Test(
        "shellcheck -s sh reports nothing on the exported example and the quoting fixture",
        .enabled(if: hasShellcheck, "shellcheck is not installed (scripts/setup.sh installs it)"),
        arguments: [
            "runbooks/one-network-nat.md", "Tests/RunbookTests/Fixtures/quoting.md",
        ])
    func shellcheck(runbook: String) throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-\(UUID().uuidString).sh")
            .path
        defer { try? FileManager.default.removeItem(atPath: script) }
        #expect(try runCLI(["export", runbook, "--format", "shell", "-o", script]).status == 0)
        let output = try? TestLab.shell("shellcheck -s sh \(script)")
        #expect(output == "", "shellcheck found problems")
    }

    @Test("keys and values reach sh as data: each quoted value evaluates back to itself")
    func quotingRoundTrip() throws {
        let runbook = try Runbook.load(path: packageRoot.appendingPathComponent(quoting).path)
        let values = runbook.steps.compactMap(\.sysctl).map(\.value)
        #expect(values.contains(#"|/usr/bin/x '%p' "$(id)" `id`; echo $HOME"#))
        #expect(values.contains(#"a"b;c"#))
        for value in values {
            #expect(try TestLab.shell("printf '%s' \(ShellQuote.quote(value))") == value)
        }
        let script = try Exporter().render(runbook, as: .shell, host: nil)
        #expect(script.contains(#"rb_sysctl 'kernel.core_pattern' '|/usr/bin/x '\''%p'\'' "$(id)" `id`; echo $HOME'"#))
        // Commands stay exactly as documented, heredoc included.
        #expect(script.contains("echo \"it's $(date) and `uname`\"; printf '%s\\n' 'done'\n"))
        #expect(script.contains("cat > /tmp/runbook-quoting-fixture <<'EOF'\nliteral $HOME and `backticks`\nEOF\n"))
    }

    @Test("a sysctl.d file keeps the last value of each key, with its source line")
    func lastValueWins() throws {
        let runbook = try parse(
            "```sh\nsysctl -w vm.swappiness=10\nsysctl -w net.ipv4.ip_forward=1\nsysctl -w vm.swappiness=5\n```\n",
            file: "t.md")
        let text = try Exporter().render(runbook, as: .sysctl, host: nil)
        #expect(text.hasSuffix("\n# t.md:3\nnet.ipv4.ip_forward = 1\n\n# t.md:4\nvm.swappiness = 5\n"))
    }

    @Test("-o never truncates an existing file when the export fails")
    func failedWriteKeepsFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-\(UUID().uuidString).conf")
            .path
        try "# precious\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runCLI(["export", example, "--format", "sysctl", "-o", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("choose one with --host"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# precious\n")
    }

    @Test("the binary finds its bundled templates from any directory, without the source tree")
    func bundledTemplates() throws {
        let runbook = packageRoot.appendingPathComponent(example).path
        let output = try TestLab.shell("cd / && \(cliBinary().path) export \(runbook) --format sysctl --host director")
        #expect(output.contains("net.ipv4.conf.eth0.send_redirects = 0"))
    }

    @Test("--templates replaces a bundled template")
    func templateOverride() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{{%CONTENT_TYPE:TEXT}}{{#settings}}{{key}}={{value}}\n{{/settings}}".write(
            to: directory.appendingPathComponent("sysctl.conf.mustache"), atomically: true, encoding: .utf8)
        let result = try runCLI([
            "export", example, "--format", "sysctl", "--host", "director", "--templates", directory.path,
        ])
        #expect(
            result.stdout
                == "net.ipv4.conf.all.send_redirects=0\nnet.ipv4.conf.default.send_redirects=0\nnet.ipv4.conf.eth0.send_redirects=0\n"
        )
    }
}

/// Exports run for real inside network namespaces the tests create.
/// Where pip put ansible-playbook: on PATH, or beside the python that installed it (a pyenv
/// whose shims were not rehashed).
let ansiblePlaybook: String? = {
    let found = try? TestLab.shell(
        """
        command -v ansible-playbook || { d=$(python3 -c 'import os, sys; print(os.path.dirname(sys.executable))') && test -x "$d/ansible-playbook" && echo "$d/ansible-playbook"; }
        """)
    return found.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
}()

@Suite(
    "export run in network namespaces", .enabled(if: TestLab.isAvailable, "\(TestLab.unavailableReason)"), .serialized)
struct ExportNamespaceTests {
    @Test("sysctl -p of the exported drop-in in a namespace loads the doc's values")
    func sysctlLoads() throws {
        let lab = TestLab()
        let (director, _) = try lab.lvsNat(realservers: 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-90-lvs.conf").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(
            try runCLI([
                "export", "runbooks/one-network-nat.md", "--format", "sysctl", "--host", "director", "-o", file,
            ]).status == 0)
        try lab.run("ip netns exec \(director) sysctl -q -p \(file)")
        for key in ["all", "default", "eth0"] {
            #expect(try lab.inside(director, "cat /proc/sys/net/ipv4/conf/\(key)/send_redirects") == "0\n")
        }
    }

    @Test(
        "the exported playbook passes --syntax-check, then --check --diff (changing nothing, creating no directory), configures director and realserver with -c local under a runbook_root with no etc/, and reports changed=0 the second time",
        .enabled(
            if: ansiblePlaybook != nil, "ansible-playbook is not installed (scripts/test.sh installs it from PyPI)"))
    func playbookRuns() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 1)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-ansible").path
        let playbook = root + "/playbook.yml"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let hostConf = try? Data(contentsOf: URL(fileURLWithPath: "/etc/sysctl.conf"))
        #expect(
            try runCLI(["export", "runbooks/one-network-nat.md", "--format", "ansible", "-o", playbook]).status == 0)
        let ansible = try #require(ansiblePlaybook)
        try lab.run("\(ansible) --syntax-check -i director,realserver, \(playbook)")
        let python = try TestLab.shell("command -v python3").trimmingCharacters(in: .whitespacesAndNewlines)
        let play = { (namespace: String, host: String, options: String) throws -> String in
            try TestLab.shell(
                "ip netns exec \(namespace) \(ansible) -i \(host), -c local -e runbook_root=\(root) -e ansible_become=false "
                    + "-e ansible_python_interpreter=\(python) \(options) \(playbook)")
        }
        // --check --diff predicts the changes and makes none.
        let checkedDirector = try play(director, "director", "--check --diff")
        // The directory under runbook_root, and the six settings.
        #expect(checkedDirector.contains("changed=7") && checkedDirector.contains("failed=0"), "\(checkedDirector)")
        #expect(try play(servers[0], "realserver", "--check --diff").contains("failed=0"))
        #expect(try lab.inside(director, "cat /proc/sys/net/ipv4/conf/all/send_redirects") == "1\n")
        #expect(try lab.inside(servers[0], "ip route show").contains("192.168.1.0/24"))
        #expect(!FileManager.default.fileExists(atPath: root + "/etc"))
        #expect(try play(director, "director", "").contains("changed=7"))
        #expect(try play(servers[0], "realserver", "").contains("changed=1"))
        for key in ["all", "default", "eth0"] {
            #expect(try lab.inside(director, "cat /proc/sys/net/ipv4/conf/\(key)/send_redirects") == "0\n")
        }
        #expect(try lab.inside(servers[0], "ip route show") == "default via 192.168.1.9 dev eth0 \n")
        #expect(
            try String(contentsOfFile: root + "/etc/sysctl.conf", encoding: .utf8).contains(
                "net.ipv4.conf.eth0.send_redirects=0"))
        #expect(try play(director, "director", "").contains("changed=0"))
        #expect(try play(servers[0], "realserver", "").contains("changed=0"))
        let hostConfAfter = try? Data(contentsOf: URL(fileURLWithPath: "/etc/sysctl.conf"))
        #expect(hostConfAfter == hostConf)
    }

    @Test("the exported script configures director and realserver, verifies, and changes nothing the second time")
    func scriptRuns() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 1)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-root").path
        let script = root + "/setup.sh"
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let hostConf = try? Data(contentsOf: URL(fileURLWithPath: "/etc/sysctl.conf"))
        #expect(try runCLI(["export", "runbooks/one-network-nat.md", "--format", "shell", "-o", script]).status == 0)
        let run = { (namespace: String, function: String) throws in
            try lab.run("ip netns exec \(namespace) env RUNBOOK_ROOT=\(root) sh \(script) \(function)")
        }
        #expect(throws: (any Error).self) { try run(servers[0], "verify_realserver") }
        try run(director, "director")
        try run(servers[0], "realserver")
        try run(director, "verify_director")
        try run(servers[0], "verify_realserver")
        let persisted = try String(contentsOfFile: root + "/etc/sysctl.conf", encoding: .utf8)
        #expect(
            persisted
                == "net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\nnet.ipv4.conf.eth0.send_redirects = 0\n"
        )
        let modified =
            try FileManager.default.attributesOfItem(atPath: root + "/etc/sysctl.conf")[.modificationDate] as? Date
        try run(director, "director")
        try run(servers[0], "realserver")
        #expect(
            try FileManager.default.attributesOfItem(atPath: root + "/etc/sysctl.conf")[.modificationDate] as? Date
                == modified)
        #expect(try String(contentsOfFile: root + "/etc/sysctl.conf", encoding: .utf8) == persisted)
        #expect(try lab.inside(servers[0], "ip route show") == "default via 192.168.1.9 dev eth0 \n")
        let hostConfAfter = try? Data(contentsOf: URL(fileURLWithPath: "/etc/sysctl.conf"))
        #expect(hostConfAfter == hostConf)
    }
}

@Suite("Templates compiled into the binary")
struct BundledTemplateTests {
    @Test("every template file is compiled in as it is (scripts/generate-templates.sh regenerates them)")
    func upToDate() throws {
        let directory = packageRoot.appendingPathComponent("Sources/RunbookExport/templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".mustache")
        }
        #expect(Set(names.map { String($0.dropLast(".mustache".count)) }) == Set(BundledTemplates.byName.keys))
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(
                BundledTemplates.byName[String(name.dropLast(".mustache".count))] == text,
                "\(name) differs from its compiled-in copy: run scripts/generate-templates.sh")
        }
    }
}
