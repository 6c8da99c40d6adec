import RunbookTestSupport
import Testing

@testable import RunbookCore

/// Route changes and tables as real posts write them.
@Suite("Routes in real posts")
struct RouteV2Tests {
    @Test("a route type (reject) keeps the change a plain command")
    func routeType() throws {
        let runbook = try parse("```sh\nroute add -net 224.0.0.0 netmask 240.0.0.0 reject\n```\n")
        #expect(runbook.steps.first?.route == nil)
    }

    @Test("ip route change is typed as a change")
    func change() throws {
        let runbook = try parse("```sh\nip route change default via 192.168.2.2 dev wg0\n```\n")
        #expect(runbook.steps.first?.route?.action == .change)
    }

    @Test("a route added inside ip netns exec belongs to that namespace and runs as written")
    func namespaced() throws {
        let runbook = try parse("```sh\nsudo ip netns exec ns1 ip route add default via 192.168.1.1\n```\n")
        let command = try #require(runbook.steps.first?.shellCommand)
        #expect(command.namespacedRoute?.namespace == "ns1")
        #expect(command.namespacedRoute?.destination == "0.0.0.0/0")
    }

    @Test("a routing table after its command in a script block is its documented output")
    func tableInScript() throws {
        let runbook = try parse(
            "```bash\nroute -n\nKernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n0.0.0.0         10.0.0.1        0.0.0.0         UG    0      0        0 eth0\n```\n"
        )
        #expect(runbook.steps.first?.shellCommand?.expect?.routes?.map(\.gateway) == ["10.0.0.1"])
    }

    @Test("netstat -rn prints a table; its MSS column is no metric")
    func netstat() throws {
        let rows = RouteTable.parse(
            "0.0.0.0         192.168.3.1     0.0.0.0         UG        0 0          0 enp2s0", format: .netstat)
        #expect(
            rows == [
                RouteEntry(destination: "0.0.0.0/0", gateway: "192.168.3.1", device: "enp2s0", metric: 0, flags: "UG")
            ])
    }

    @Test("route without -n prints names, read as written")
    func routeNames() throws {
        let rows = RouteTable.parse(
            "default         _gateway        0.0.0.0         UG    100    0        0 enp1s0",
            format: .netTools(names: true))
        #expect(rows?.first?.gateway == "_gateway")
    }

    @Test("a table filtered through grep is still a table")
    func grepFilter() throws {
        #expect(RouteTable.format(ofCommand: ShellWords("ip route | grep wg0")) == .iproute)
        #expect(RouteTable.format(ofCommand: ShellWords("ip route | sh")) == nil)
    }

    @Test("a table with elided rows promises its rows only")
    func elidedRows() throws {
        let runbook = try parse(
            "```console\nroot@master1:~$ ip route\n...\n172.20.1.0/24 via 192.168.1.2 dev ens3  proto 17\n...\n```\n")
        let expect = try #require(runbook.steps.first?.shellCommand?.expect)
        #expect(expect.routes?.count == 1)
        #expect(expect.isPartial)
    }

    @Test("in a block of notes, a table under the command that printed it is that command's documented output")
    func tableInNotes() throws {
        let runbook = try parse(
            "```\n到达cni0的数据包通过主机A中的路由表\n\nroute -n | grep flannel.1\n10.244.2.0      10.244.2.0      255.255.255.0   UG    0      0        0 flannel.1\n\n作为VTEP设备\n```\n"
        )
        #expect(runbook.steps.count == 1)
        #expect(runbook.steps.first?.shellCommand?.text == "route -n | grep flannel.1")
        #expect(runbook.steps.first?.shellCommand?.expect?.routes?.map(\.device) == ["flannel.1"])
    }

    @Test("a notes block's other commands are not run, and a warning says so")
    func notesBlockWarns() throws {
        let runbook = try parse(
            "```\n创建路由\n\nroute -n\n10.244.2.0      10.244.2.0      255.255.255.0   UG    0      0        0 flannel.1\n\n添加 ARP\narp -n | grep flannel.1\n```\n"
        )
        #expect(runbook.steps.count == 1)
        #expect(runbook.warnings.map(\.location.line) == [8])
    }

    @Test("the command on the last line of a paragraph prints the table in the block after it")
    func tableAfterProse() throws {
        let runbook = try parse("查看路由表\nip route show\n```shell\ndefault via 172.18.8.1 dev enp4s0 proto dhcp\n```\n")
        let step = try #require(runbook.steps.first)
        #expect(step.line == 2)
        #expect(step.shellCommand?.expect?.routes?.map(\.gateway) == ["172.18.8.1"])
    }

    @Test("a comment after a table in a shell block introduces the next command and is not output")
    func commentEndsOutput() throws {
        let runbook = try parse(
            "```bash\nroot@master1:~$ ip route\n172.20.1.0/24 via 192.168.1.2 dev ens3\n\n# node3上路由\nroot@node3:~$ ip route\n172.20.0.0/24 via 192.168.1.1 dev ens3\n```\n"
        )
        #expect(runbook.steps.map { $0.shellCommand?.expect?.routes?.count } == [1, 1])
    }

    @Test("an author's note after a row does not spoil the table")
    func annotatedRow() throws {
        let rows = RouteTable.parse("10.8.0.0/24 via 10.8.0.2 dev utun2   <-- this one", format: .iproute)
        #expect(rows?.first?.device == "utun2")
    }
}

/// Documents name the machine in prose more often than in prompts.
@Suite("Hosts named in prose")
struct HostLabelTests {
    @Test("a label paragraph gives the blocks after it its host")
    func label() throws {
        let runbook = try parse("**RS1:**\n\n```sh\nsysctl -w net.ipv4.ip_forward=1\n```\n")
        #expect(runbook.steps.map(\.host) == ["RS1"])
    }

    @Test("a sentence that opens with 'On the director' names the director")
    func onTheHost() throws {
        let runbook = try parse("On the director, run:\n\n```sh\nsysctl -w net.ipv4.ip_forward=1\n```\n")
        #expect(runbook.steps.first?.host == "director")
    }

    @Test("在 RS1 上执行 names RS1")
    func chinese() throws {
        let runbook = try parse("在 RS1 上执行：\n\n```sh\nsysctl -w net.ipv4.ip_forward=1\n```\n")
        #expect(runbook.steps.first?.host == "RS1")
    }

    @Test("a label that names no machine of the document gives no host")
    func notAHost() throws {
        let runbook = try parse("Ubuntu:\n\n```sh\napt-get install -y ipvsadm\n```\n")
        #expect(runbook.steps.first?.host == nil)
    }

    @Test("a label names a host when a prompt elsewhere in the document uses the name")
    func usedElsewhere() throws {
        let runbook = try parse(
            "web01:\n\n```sh\nsysctl -w net.core.somaxconn=1024\n```\n\n```console\n[root@web01 ~]# sysctl -p\n```\n")
        #expect(runbook.steps.map(\.host) == ["web01", "web01"])
    }

    @Test("a label overrides the host inherited from an earlier prompt of the section, and the next label ends it")
    func labelsInSequence() throws {
        let runbook = try parse(
            "```console\n[root@lvs ~]# ipvsadm -Ln\n```\n\nRouter:\n\n```sh\nsysctl -w net.ipv4.ip_forward=1\n```\n\nDirector(master):\n\n```sh\nyum install -y keepalived\n```\n"
        )
        #expect(runbook.steps.map(\.host) == ["lvs", "Router", "Director"])
    }
}
