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
    static let others = SortedWords([
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
    ])

    /// Debian programs that are mostly English words when they start a line of a code block.
    static let proseWords = SortedWords([
        "the", "and", "see", "note", "we", "as", "output", "at", "time", "info", "more", "less", "last",
    ])

    /// Debian's program names (CommandVocabulary+Debian.swift), read in place.
    static let debianNames = SortedWords(sortedLines: debian)

    package static func contains(_ name: Substring) -> Bool {
        name.withBytes { name in
            others.contains(name) || !proseWords.contains(name) && debianNames.contains(name)
        }
    }
}
