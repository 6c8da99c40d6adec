import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookOps

/// Ansible inventories as `--inventory` reads them.
@Suite("inventories")
struct InventoryTests {
    private let ini = """
        # the LVS cluster
        lb1 ansible_host=192.0.2.9 ansible_user=admin

        [director]
        lb1

        [realserver]
        rs[01:03].example.net ansible_port=2222
        rs-extra ansible_connection=local

        [web:children]
        realserver

        [realserver:vars]
        ansible_user="deploy"
        """

    private let yaml = """
        all:
          hosts:
            lb1:
              ansible_host: 192.0.2.9
              ansible_user: admin
          children:
            director:
              hosts:
                lb1:
            web:
              children:
                realserver:
                  hosts:
                    rs[01:03].example.net:
                      ansible_port: 2222
                    rs-extra:
                      ansible_connection: local
                  vars:
                    ansible_user: deploy
        """

    private func targets(_ text: String, limit: String? = nil) throws -> [String: [String]] {
        let inventory = try InventoryReader.read(text, file: "hosts")
        let map = try TargetMap.fromInventory(inventory, roles: ["director", "realserver"], limit: limit)
        return map.roles.mapValues { $0.map(\.description) }
    }

    private let expected = [
        "director": ["ssh://admin@192.0.2.9"],
        "realserver": [
            "ssh://deploy@rs01.example.net:2222", "ssh://deploy@rs02.example.net:2222",
            "ssh://deploy@rs03.example.net:2222", "local",
        ],
    ]

    @Test("INI: groups named like roles give their hosts as ssh targets, with ranges, host and group variables")
    func iniTargets() throws {
        #expect(try targets(ini) == expected)
    }

    @Test("YAML: the same inventory gives the same targets")
    func yamlTargets() throws {
        #expect(try targets(yaml) == expected)
    }

    @Test("a group's children are its members")
    func children() throws {
        let inventory = try InventoryReader.read(ini, file: "hosts")
        #expect(inventory.members(of: "web").count == 4)
        #expect(inventory.members(of: "all").count == 5)
    }

    @Test(
        "--limit keeps what an Ansible pattern names",
        arguments: [
            ("rs01*", ["rs01.example.net"]),
            ("realserver:!rs-extra", ["rs01.example.net", "rs02.example.net", "rs03.example.net"]),
            ("web,&rs0[2]*", []),
            ("web:&*02*", ["rs02.example.net"]),
            ("lb1,rs03.example.net", ["lb1", "rs03.example.net"]),
        ])
    func limit(pattern: String, hosts: [String]) throws {
        #expect(try InventoryReader.read(ini, file: "hosts").hosts(matching: pattern) == hosts)
    }

    @Test("a role whose hosts --limit leaves out has no target: its steps are skipped, not run here")
    func limitedOut() throws {
        let runbook = try parse("```console {host=realserver}\nrealserver# true\n```\n")
        var options = ExecPlan.Options()
        options.inventoryTargets = try TargetMap.fromInventory(
            try InventoryReader.read(ini, file: "hosts"), roles: runbook.hosts, limit: "lb1")
        let plan = try ExecPlan(runbook: runbook, options: options)
        #expect(plan.items.map(\.target) == [nil])
    }

    @Test(
        "a problem is an error at its line",
        arguments: [
            ("[web\nrs1\n", 1), ("[web]\nrs[1:x]\n", 2), ("[web:kids]\n", 1), ("[web]\nrs1 port\n", 2),
            ("all:\n  hosts:\n    - a\n", 2),
        ])
    func errors(text: String, line: Int) {
        #expect(throws: Diagnostic.self) { _ = try InventoryReader.read(text, file: "hosts") }
        do {
            _ = try InventoryReader.read(text, file: "hosts")
        } catch {
            #expect(error.location.line == line, "\(error)")
        }
    }

    @Test("a host whose variables make no target (a user that is an option) is refused at its line")
    func hostileHost() throws {
        let inventory = try InventoryReader.read("[realserver]\nrs1 ansible_user=-oProxyCommand=x\n", file: "hosts")
        #expect(throws: TargetMap.Problem.self) {
            _ = try TargetMap.fromInventory(inventory, roles: ["realserver"], limit: nil)
        }
    }

    @Test("exec --inventory --limit --dry-run plans the inventory's hosts; --target still wins")
    func execDryRun() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-inventory-\(UUID().uuidString)")
        try ini.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try runCLI([
            "exec", "runbooks/one-network-nat.md", "--inventory", file.path, "--limit", "realserver:!rs-extra:!rs03*",
            "--target", "director=netns:lvs-d", "--dry-run",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("realserver on ssh://deploy@rs01.example.net:2222"), "\(result.stdout)")
        #expect(result.stdout.contains("realserver on ssh://deploy@rs02.example.net:2222"))
        #expect(!result.stdout.contains("rs03"))
        #expect(result.stdout.contains("director on netns:lvs-d"))
    }

    @Test("check --inventory takes its targets from the inventory: a host the inventory maps has a target")
    func checkWithInventory() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-inventory-\(UUID().uuidString)")
        try "[box]\nhere ansible_connection=local\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let runbook = file.path + ".md"
        try "```console {host=box}\nbox# true\n```\n\n```console {host=other}\nother# true\n```\n".write(
            toFile: runbook, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: runbook) }
        let result = try runCLI(["check", runbook, "--inventory", file.path])
        #expect(result.stdout.contains("host 'other' of step 2 has no target"), "\(result.stdout)")
        #expect(!result.stdout.contains("host 'box'"), "\(result.stdout)")
    }
}
