import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// The README's example and the seed post it was written from.
@Suite("Example runbook and seed")
struct ExampleRunbookTests {
    @Test("runbook parse --format json of the example matches the golden file")
    func goldenJSON() throws {
        let result = try runCLI(["parse", "runbooks/one-network-nat.md", "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        try expectGolden(result.stdout, "one-network-nat.json")
    }

    @Test("runbook plan of the example matches the golden file")
    func goldenPlan() throws {
        let result = try runCLI(["plan", "runbooks/one-network-nat.md"])
        #expect(result.status == 0)
        try expectGolden(result.stdout, "one-network-nat.plan.txt")
    }

    @Test("runbook parse (text) of the example matches the golden file")
    func goldenList() throws {
        let result = try runCLI(["parse", "runbooks/one-network-nat.md"])
        #expect(result.status == 0)
        try expectGolden(result.stdout, "one-network-nat.parse.txt")
    }

    @Test("plan --host shows one host; an unknown host is an error naming the known ones")
    func planHost() throws {
        let director = try runCLI(["plan", "runbooks/one-network-nat.md", "--host", "director"])
        #expect(director.status == 0)
        #expect(director.stdout.contains("director (11 steps)"))
        #expect(!director.stdout.contains("realserver ("))
        let unknown = try runCLI(["plan", "runbooks/one-network-nat.md", "--host", "client"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("hosts: director, realserver"))
    }

    @Test("on a terminal the plan is coloured")
    func colorOnTerminal() throws {
        let shown = try runCLIOnTerminal(["plan", "runbooks/one-network-nat.md"], environment: ["TERM": "xterm"])
        #expect(shown.contains("\u{1B}[1;36mdirector\u{1B}[0m (11 steps)"))
        #expect(shown.contains("\u{1B}["))
    }

    @Test("NO_COLOR turns colour off even on a terminal")
    func noColorOnTerminal() throws {
        let shown = try runCLIOnTerminal(
            ["plan", "runbooks/one-network-nat.md"], environment: ["TERM": "xterm", "NO_COLOR": "1"])
        #expect(shown.contains("director (11 steps)"))
        #expect(!shown.contains("\u{1B}["))
    }

    @Test("TERM=dumb turns colour off on a terminal")
    func dumbTerminal() throws {
        let shown = try runCLIOnTerminal(["plan", "runbooks/one-network-nat.md"], environment: ["TERM": "dumb"])
        #expect(shown.contains("director (11 steps)"))
        #expect(!shown.contains("\u{1B}["))
    }

    @Test(
        "the seed post yields the nine steps of the issue, in order",
        .enabled(
            if: hasShared("seeds/000_44be082270b77cdf.txt"),
            "the seed post is absent: ../shared is not beside this checkout"))
    func seed() throws {
        let runbook = try Runbook.load(path: sharedPath("seeds/000_44be082270b77cdf.txt"))
        #expect(runbook.warnings.isEmpty)
        #expect(runbook.steps.count == 9)
        let keys = ["all", "default", "eth0"].map { "net.ipv4.conf.\($0).send_redirects" }
        #expect(runbook.steps[0..<6].map(\.host) == Array(repeating: "director", count: 6))
        #expect(runbook.steps[0..<3].map { $0.sysctl?.key } == keys)
        #expect(runbook.steps[0..<3].allSatisfy { $0.sysctl?.persist == nil && $0.sysctl?.value == "0" })
        #expect(runbook.steps[3..<6].map { $0.sysctl?.key } == keys)
        #expect(runbook.steps[3..<6].allSatisfy { $0.sysctl?.persist == "/etc/sysctl.conf" })
        #expect(runbook.steps[6..<9].map(\.host) == Array(repeating: "realserver", count: 3))
        #expect(
            runbook.steps[6].shellCommand?.expect?.routes == [
                RouteEntry(destination: "192.168.1.0/24", gateway: nil, device: "eth0", metric: 0, flags: "U"),
                RouteEntry(destination: "0.0.0.0/0", gateway: "192.168.1.9", device: "eth0", metric: 0, flags: "UG"),
            ])
        #expect(
            runbook.steps[7].route
                == RouteChange(
                    action: .del, destination: "192.168.1.0/24", gateway: nil, device: "eth0", metric: nil,
                    command: "route del -net 192.168.1.0 netmask 255.255.255.0 dev eth0"))
        #expect(
            runbook.steps[8].shellCommand?.expect?.routes == [
                RouteEntry(destination: "0.0.0.0/0", gateway: "192.168.1.9", device: "eth0", metric: 0, flags: "UG")
            ])
        #expect(runbook.steps.map(\.line) == [40, 41, 42, 48, 49, 50, 58, 67, 68])
        // "默认设置之后，可能 RealServer 主机路由是以下状态": the first table is a possible starting state.
        #expect(runbook.steps[6].shellCommand?.expect?.isPrecondition == true)
        #expect(runbook.steps[8].shellCommand?.expect?.isPrecondition == false)
    }

    @Test(
        "the example runbook yields the same steps as the seed",
        .enabled(
            if: hasShared("seeds/000_44be082270b77cdf.txt"),
            "the seed post is absent: ../shared is not beside this checkout"))
    func exampleMatchesSeed() throws {
        let example = try Runbook.load(path: packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path)
        let seed = try Runbook.load(path: sharedPath("seeds/000_44be082270b77cdf.txt"))
        #expect(example.warnings.isEmpty)
        #expect(example.hosts == seed.hosts)
        // What each step does, without where it was written or how the prose around it reads.
        func essence(_ step: Step) -> String {
            switch step.action {
            case .sysctl(let setting):
                "\(step.host ?? "-") sysctl \(setting.key)=\(setting.value) \(setting.persist ?? "-")"
            case .route(let change):
                "\(step.host ?? "-") route \(change.action) \(change.destination) \(change.device ?? "-")"
            case .command(let command):
                "\(step.host ?? "-") command \(command.text) \(command.expect?.routes.map { "\($0)" } ?? "-")"
            case .address, .ipvs:
                "\(step.host ?? "-") \(step.kind) \(step.command ?? "")"
            }
        }
        // The seed's nine steps, numbered as in the seed; then the director's IPVS service.
        #expect(Array(example.steps.prefix(seed.steps.count).map(essence)) == seed.steps.map(essence))
        #expect(example.steps.dropFirst(seed.steps.count).map(\.index) == Array(10...14))
        #expect(example.steps.dropFirst(seed.steps.count).map(\.kind) == [.ipvs, .ipvs, .ipvs, .ipvs, .command])
    }
}

/// Real posts from ../shared/corpus: CRLF, odd prompts, list-indented blocks, unterminated
/// heredocs. They must all parse without an error.
@Suite("Real-world corpus")
struct CorpusTests {
    static let documents: [String] = {
        let directory = sharedDirectory.appendingPathComponent("corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted().map {
            directory.appendingPathComponent($0).path
        }
    }()

    @Test(
        "every corpus document parses without error",
        .enabled(if: !documents.isEmpty, "the corpus is absent: ../shared is not beside this checkout"))
    func parsesAll() throws {
        for path in Self.documents {
            do {
                let runbook = try Runbook.load(path: path)
                #expect(
                    !runbook.steps.isEmpty || !runbook.warnings.isEmpty, "\(path) yielded no steps and said nothing")
            } catch {
                Issue.record("\(path): \(error.diagnostics.map(\.description))")
            }
        }
    }

    @Test(
        "typed steps found in the corpus where the posts write them",
        .enabled(
            if: hasShared("corpus/19-kthw-mmumshad-cri.md"),
            "the corpus is absent: ../shared is not beside this checkout"))
    func typedSteps() throws {
        let runbook = try Runbook.load(path: sharedPath("corpus/19-kthw-mmumshad-cri.md"))
        // `cat <<EOF | sudo tee /etc/sysctl.d/k8s.conf` inside a list-indented `{ ... }` group.
        #expect(
            runbook.steps.compactMap(\.sysctl).map(\.key) == [
                "net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables", "net.ipv4.ip_forward",
            ])
    }
}
