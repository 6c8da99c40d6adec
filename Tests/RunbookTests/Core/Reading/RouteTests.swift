import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("route changes")
struct RouteChangeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var command: String
        var action: RouteChange.Action
        var destination: String
        var gateway: String?
        var device: String?
        var testDescription: String { command }
    }

    @Test(
        "net-tools and iproute2 spellings",
        arguments: [
            Case(
                command: "route del -net 192.168.1.0 netmask 255.255.255.0 dev eth0", action: .del,
                destination: "192.168.1.0/24", gateway: nil, device: "eth0"),
            Case(
                command: "route add -host 10.0.0.5 dev lo", action: .add, destination: "10.0.0.5/32", gateway: nil,
                device: "lo"),
            Case(
                command: "route add default gw 192.168.1.9", action: .add, destination: "0.0.0.0/0",
                gateway: "192.168.1.9", device: nil),
            Case(
                command: "route add -net 10.0.0.0/8 gw 192.168.1.1 dev eth1", action: .add, destination: "10.0.0.0/8",
                gateway: "192.168.1.1", device: "eth1"),
            Case(
                command: "ip route add 10.1.0.0/16 via 192.168.1.1 dev eth0", action: .add, destination: "10.1.0.0/16",
                gateway: "192.168.1.1", device: "eth0"),
            Case(
                command: "ip route del 192.168.1.0/24 dev eth0", action: .del, destination: "192.168.1.0/24",
                gateway: nil, device: "eth0"),
            Case(
                command: "sudo ip r replace default via 192.168.1.9", action: .replace, destination: "0.0.0.0/0",
                gateway: "192.168.1.9", device: nil),
            Case(command: "ip ro delete 10.0.0.1", action: .del, destination: "10.0.0.1/32", gateway: nil, device: nil),
        ])
    func spelling(_ example: Case) throws {
        let step = try #require(try parse("```sh\n\(example.command)\n```\n").steps.first)
        let change = try #require(step.route)
        #expect(
            change
                == RouteChange(
                    action: example.action, destination: example.destination, gateway: example.gateway,
                    device: example.device, metric: nil, command: example.command))
    }

    @Test(
        "route commands with options we do not model stay commands",
        arguments: [
            "ip route add 10.0.0.0/8 via 192.168.1.1 table 100",
            "ip -6 route add default via fe80::1 dev eth0",
            "route add -net $NET gw 192.168.1.1",
            "ip route show",
        ])
    func untyped(_ command: String) throws {
        #expect(try parse("```sh\n\(command)\n```\n").steps.map(\.kind) == [.command])
    }
}

@Suite("documented route tables")
struct RouteTableTests {
    let expected = [
        RouteEntry(destination: "192.168.1.0/24", gateway: nil, device: "eth0", metric: 0, flags: "U"),
        RouteEntry(destination: "0.0.0.0/0", gateway: "192.168.1.9", device: "eth0", metric: 0, flags: "UG"),
    ]

    @Test("route -n with both header lines")
    func withHeaders() throws {
        let output = """
            Kernel IP routing table
            Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
            192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 eth0
            0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0
            """
        #expect(RouteTable.parse(output, format: .netTools(names: false)) == expected)
    }

    @Test("route -n with only the title line, as the seed post shows it")
    func titleOnly() throws {
        let output = """
            Kernel IP routing table
            192.168.1.0     0.0.0.0         255.255.255.0   U         0 0          0 eth0
            0.0.0.0         192.168.1.9     0.0.0.0         UG        0 0          0 eth0
            """
        #expect(RouteTable.parse(output, format: .netTools(names: false)) == expected)
    }

    @Test("route -n without any header")
    func noHeaders() throws {
        let output = "192.168.1.0 0.0.0.0 255.255.255.0 U 0 0 0 eth0\n0.0.0.0 192.168.1.9 0.0.0.0 UG 0 0 0 eth0"
        #expect(RouteTable.parse(output, format: .netTools(names: false)) == expected)
    }

    @Test("ip route output, with proto, scope, src and metric")
    func iproute() throws {
        let output = """
            default via 10.0.3.2 dev enp0s8  proto static  metric 100
            10.0.3.0/24 dev enp0s8  proto kernel  scope link  src 10.0.3.15  metric 100
            """
        #expect(
            RouteTable.parse(output, format: .iproute) == [
                RouteEntry(destination: "0.0.0.0/0", gateway: "10.0.3.2", device: "enp0s8", metric: 100, flags: nil),
                RouteEntry(destination: "10.0.3.0/24", gateway: nil, device: "enp0s8", metric: 100, flags: nil),
            ])
    }

    @Test("a table with a line we do not understand is not a table")
    func partial() {
        #expect(RouteTable.parse("default via 10.0.3.2 dev eth0\nsomething else", format: .iproute) == nil)
        #expect(
            RouteTable.parse("0.0.0.0 192.168.1.9 255.0.255.0 UG 0 0 0 eth0", format: .netTools(names: false)) == nil)
    }

    @Test("a documented `ip route` in a transcript becomes expected routes")
    func inTranscript() throws {
        let runbook = try parse("```console\nrs1$ ip route show\ndefault via 192.168.1.9 dev eth0\n```\n")
        #expect(
            runbook.steps.first?.shellCommand?.expect?.routes == [
                RouteEntry(destination: "0.0.0.0/0", gateway: "192.168.1.9", device: "eth0", metric: 0, flags: nil)
            ])
    }

    @Test("output of other commands is text only")
    func notATable() throws {
        let runbook = try parse("```console\n$ ip addr\n1: lo: <LOOPBACK,UP>\n```\n")
        #expect(runbook.steps.first?.shellCommand?.expect == Expectation(output: "1: lo: <LOOPBACK,UP>", routes: nil))
    }
}
