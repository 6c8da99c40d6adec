import Testing

@testable import RunbookCore

/// How real runbooks say which file a setting belongs in, found in the labelled corpus.
@Suite("Sysctl settings and the file they belong in")
struct SettingFileTests {
    @Test("lines typed after vi /etc/sysctl.conf are settings of that file")
    func typedIntoEditor() throws {
        let runbook = try parse(
            "```console\n$ sudo vi /etc/sysctl.conf\n...\n# Enable IP Forwarding\nnet.ipv4.ip_forward = 1\n```\n")
        #expect(
            runbook.steps.compactMap(\.sysctl) == [
                SysctlSetting(key: "net.ipv4.ip_forward", value: "1", persist: "/etc/sysctl.conf")
            ])
    }

    @Test("a config block takes the file the section's prose names")
    func proseNamesFile() throws {
        let runbook = try parse(
            "## Tune\n\nEdit /etc/sysctl.d/90-net.conf:\n\nThen add:\n\n```\nnet.core.somaxconn = 1024\n```\n")
        #expect(runbook.steps.first?.sysctl?.persist == "/etc/sysctl.d/90-net.conf")
    }

    @Test("settings without a file belong to the one the sysctl -p after them loads")
    func loadedBySysctlP() throws {
        let runbook = try parse("```\nnet.ipv4.ip_forward = 1\n```\n\nApply:\n\n```sh\nsysctl -p\n```\n")
        #expect(runbook.steps.first?.sysctl?.persist == "/etc/sysctl.conf")
    }

    @Test("a comment after a value is not part of it, and the line is reported as invalid for procps")
    func inlineComment() throws {
        let runbook = try parse("```\nnet.core.somaxconn = 16384 # accept queue\n```\n")
        #expect(runbook.steps.first?.sysctl?.value == "16384")
        #expect(runbook.warnings.first?.message.contains("procps reads no inline comments") == true)
    }

    @Test("a placeholder key documents the shape of keys and is neither a setting nor an error")
    func placeholderKey() throws {
        let runbook = try parse("```\nnet.core.{option} = /proc/sys/net/core/{option}\n```\n")
        #expect(runbook.steps.isEmpty)
    }

    @Test("a heredoc into sysctl.d is read whatever the block's label")
    func mislabelledHeredoc() throws {
        let runbook = try parse(
            "``` python\ncat <<EOF > /etc/sysctl.d/k8s.conf\nnet.ipv4.ip_forward=1\nvm.swappiness=0\nEOF\nsysctl --system\n```\n"
        )
        #expect(
            runbook.steps.compactMap(\.sysctl).map(\.persist) == ["/etc/sysctl.d/k8s.conf", "/etc/sysctl.d/k8s.conf"])
    }

    @Test("tee > FILE <<EOF writes the file")
    func teeRedirect() throws {
        let runbook = try parse(
            "```shell\n[root@rs1 ~]# tee > /etc/sysctl.conf << EOF\nnet.ipv4.conf.lo.arp_ignore = 1\nEOF\n```\n")
        #expect(runbook.steps.first?.sysctl?.persist == "/etc/sysctl.conf")
        #expect(runbook.steps.first?.host == "rs1")
    }

    @Test("a heredoc inside sh -c '...' writes the file it names")
    func shellC() throws {
        let runbook = try parse(
            "```\nsudo sh -c 'cat << EOF >> /etc/sysctl.conf\nnet.core.somaxconn = 32768\nEOF'\n```\n")
        #expect(
            runbook.steps.first?.sysctl
                == SysctlSetting(key: "net.core.somaxconn", value: "32768", persist: "/etc/sysctl.conf"))
    }

    @Test("sysctl -w KEY = VALUE, spaced as in sysctl.conf, and /sbin/sysctl are settings")
    func spacedAssignment() throws {
        let runbook = try parse(
            "```sh\nsudo sysctl -w net.core.somaxconn = 16384\n/sbin/sysctl -w net.ipv4.route.flush=1\n```\n")
        #expect(runbook.steps.compactMap(\.sysctl).map(\.key) == ["net.core.somaxconn", "net.ipv4.route.flush"])
    }

    @Test("what sysctl -a printed is output, not a setting")
    func printedSettings() throws {
        let runbook = try parse("```bash\nsysctl -a | grep net.ipv4.ip_forward\nnet.ipv4.ip_forward = 1\n```\n")
        #expect(runbook.steps.compactMap(\.sysctl).isEmpty)
    }
}

/// Which lines of a block are commands.
@Suite("Commands, output and notes")
struct CommandLineTests {
    @Test("pasted output in a shell block is not run, and the block says so")
    func pastedOutput() throws {
        let runbook = try parse(
            "```bash\nip -4 addr show docker0\n3: docker0: <BROADCAST,MULTICAST,UP> mtu 1500\n    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n```\n"
        )
        #expect(runbook.steps.map(\.command) == ["ip -4 addr show docker0"])
        #expect(runbook.warnings.first?.message.contains("2 lines of this block are not a command") == true)
    }

    @Test("a script to save (#! first) yields no steps, with a warning")
    func scriptFile() throws {
        let runbook = try parse("```bash\n#!/bin/bash\nipvsadm -C\n```\n")
        #expect(runbook.steps.isEmpty)
        #expect(runbook.warnings.first?.message.contains("'#!'") == true)
    }

    @Test("a file of NAME=value lines is a file, not commands")
    func assignmentsFile() throws {
        let runbook = try parse("```\nTYPE=Ethernet\nBOOTPROTO=static\nIPADDR=192.168.10.99\n```\n")
        #expect(runbook.steps.isEmpty)
    }

    @Test("a program Debian ships counts as a command in an unlabelled block")
    func debianVocabulary() throws {
        let runbook = try parse("```\nwg genkey\nnano /etc/wireguard/wg0.conf\n```\n")
        #expect(runbook.steps.map(\.command) == ["wg genkey", "nano /etc/wireguard/wg0.conf"])
    }

    @Test("a block that yields nothing although a line reads as a command says so")
    func droppedBlockWarns() throws {
        let runbook = try parse("```conf\nulimit -n 102400\n```\n")
        #expect(runbook.steps.isEmpty)
        #expect(runbook.warnings.first?.message.contains("yields no steps") == true)
    }

    @Test("what cat printed is output, assignments included")
    func catOutput() throws {
        let runbook = try parse(
            "```bash\ncat /run/flannel/subnet.env\nFLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_MTU=1450\n```\n")
        #expect(runbook.steps.map(\.command) == ["cat /run/flannel/subnet.env"])
    }

    @Test("prose that starts with a shell keyword is not a loop")
    func forProse() {
        #expect(!CommandNames.looksLikeCommandLine("for each incoming interface"))
        #expect(CommandNames.looksLikeCommandLine("for HOST in a b; do ssh $HOST uptime; done"))
    }

    @Test("a command with a comment in another script is not a prompt")
    func commentNotPrompt() throws {
        let runbook = try parse("```\ncat /proc/sys/vm/nr_hugepages # 查看大内存页的数量\n```\n")
        #expect(runbook.steps.first?.host == nil)
        #expect(runbook.steps.first?.command == "cat /proc/sys/vm/nr_hugepages # 查看大内存页的数量")
    }

    @Test("a closing fence glued to the last command is left out of it")
    func gluedFence() throws {
        let runbook = try parse("```sh\nsudo ifdown eth0; sudo ifup eth0 ```\n")
        #expect(runbook.steps.first?.command == "sudo ifdown eth0; sudo ifup eth0")
        #expect(runbook.warnings.contains { $0.message.contains("glued") })
    }

    @Test("a named prompt is read in a block labelled as something else")
    func promptInYaml() throws {
        let runbook = try parse("```yaml\n[root@rs1 ~]# echo 1 > /proc/sys/net/ipv4/conf/lo/arp_ignore\n```\n")
        #expect(runbook.steps.first?.sysctl?.key == "net.ipv4.conf.lo.arp_ignore")
        #expect(runbook.steps.first?.host == "rs1")
    }
}

/// Found by the fuzz target (bench/fuzz.sh): output was taken for what a command of an earlier
/// section printed, which a document read in parts cannot see.
@Suite("Output and its command share a section")
struct OutputSectionTests {
    @Test("an assignment under a later heading is not what an earlier section's sysctl printed")
    func sameWholeAndInParts() throws {
        let markdown = "# A\n\n```sh\nsysctl -a\n```\n\n# B\n\n```sh\nTYPE==1\nls -l /tmp\n```\n"
        let whole = try Runbook.parse(markdown: markdown, file: "t.md", minimumPart: .max / 4)
        let parts = try Runbook.parse(markdown: markdown, file: "t.md", minimumPart: 1)
        #expect(whole.steps == parts.steps)
        #expect(whole.warnings == parts.warnings)
    }
}

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
