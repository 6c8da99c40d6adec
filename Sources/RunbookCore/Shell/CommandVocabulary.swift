/// Which first words make a line a command: the vocabulary recognition reads blocks with.
///
/// Guessing from shape turns output (`ipvsadm-1.27-7.el7.x86_64`, `inet 10.0.0.1/24 brd ...`)
/// and prose into steps a user might run, so a word counts only when it names a program:
/// one Debian installs in a bin directory (generated, CommandVocabulary+Debian.swift), a shell
/// builtin or keyword, a name Debian provides only through alternatives, or a program runbooks
/// run that Debian does not ship.
package enum CommandVocabulary {
    /// Shell builtins and keywords, names Debian installs only as alternatives (`awk`, `vi`,
    /// `iptables`, `nc`), and programs of other distributions and of the cloud-native world.
    static let others: Set<Substring> = [
        // builtins and keywords
        ".", "alias", "break", "case", "cd", "continue", "declare", "do", "done", "elif", "else", "esac", "eval",
        "exec", "exit", "export", "fi", "for", "function", "hash", "history", "if", "local", "popd", "pushd",
        "read", "readonly", "return", "set", "shift", "shopt", "source", "then", "trap", "type", "ulimit",
        "umask", "unalias", "unset", "until", "wait", "while",
        // alternatives
        "awk", "nawk", "vi", "vim", "view", "editor", "iptables", "iptables-save", "iptables-restore",
        "ip6tables", "ip6tables-save", "ip6tables-restore", "arptables", "ebtables", "nc", "netcat",
        "traceroute", "traceroute6", "java", "pager", "x-www-browser", "mta", "sendmail",
        // other distributions and tools Debian does not ship
        "yum", "rpm", "dnf", "zypper", "apk", "pacman", "brew", "snap", "emerge", "yum-config-manager",
        "firewall-cmd", "semanage", "getenforce", "setenforce", "chkconfig", "ntsysv", "authconfig",
        "kubeadm", "kubelet", "kubectl", "helm", "crictl", "ctr", "nerdctl", "calicoctl", "etcdctl", "k3s",
        "kind", "minikube", "istioctl", "cilium", "kube-proxy", "flanneld", "terraform", "aws", "gcloud", "az",
        "packer", "vagrant", "consul", "nomad", "vault", "tailf", "netsh",
    ]

    /// Debian programs that are mostly English words when they start a line of a code block.
    static let proseWords: Set<Substring> = [
        "the", "and", "see", "note", "we", "as", "output", "at", "time", "info", "more", "less", "last",
    ]

    package static func contains(_ name: Substring) -> Bool {
        if others.contains(name) { return true }
        if proseWords.contains(name) { return false }
        return DebianNames.shared.contains(name)
    }

    /// The generated list, read in place: line starts are found once, then a lookup is a
    /// binary search on bytes, with no set of 45,000 strings built at start-up. Held as plain
    /// pointers that live as long as the process: every core looks words up at once, and a
    /// shared array or string would be retained and released on each lookup, the cores
    /// contending for its reference count.
    private struct DebianNames: @unchecked Sendable {
        static let shared = DebianNames()
        let text: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int>

        init() {
            let bytes = Array(CommandVocabulary.debian.utf8)
            let text = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
            _ = text.initialize(from: bytes)
            var starts = [0]
            var index = 0
            while let newline = Bytes.offset(of: 0x0A, in: UnsafeBufferPointer(text), from: index) {
                starts.append(newline + 1)
                index = newline + 1
            }
            // The end of the last line, as if a newline followed it.
            starts.append(bytes.count + 1)
            let table = UnsafeMutableBufferPointer<Int>.allocate(capacity: starts.count)
            _ = table.initialize(from: starts)
            self.text = UnsafeBufferPointer(text)
            self.starts = UnsafeBufferPointer(table)
        }

        func contains(_ name: Substring) -> Bool {
            name.withBytes { name in
                var low = 0, high = starts.count - 1
                while low < high {
                    let middle = (low + high) / 2
                    let line = UnsafeBufferPointer(rebasing: text[starts[middle]..<(starts[middle + 1] - 1)])
                    if line.lexicographicallyPrecedes(name) {
                        low = middle + 1
                    } else if name.lexicographicallyPrecedes(line) {
                        high = middle
                    } else {
                        return true
                    }
                }
                return false
            }
        }
    }
}
