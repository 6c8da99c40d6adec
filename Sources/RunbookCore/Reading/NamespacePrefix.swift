/// `[sudo] ip netns exec NS CMD...` and `ip -n NS OBJECT ...`: the words of the command the
/// namespace runs, and the namespace, whose own tables the command changes.
enum NamespacePrefix {
    static func split(_ words: [String]) -> (namespace: String?, words: ArraySlice<String>) {
        var words = words[...]
        if words.first == "sudo" { words = words.dropFirst() }
        if words.starts(with: ["ip", "netns", "exec"]), words.count > 4 {
            return (words[words.startIndex + 3], words.dropFirst(4))
        }
        if words.starts(with: ["ip", "-n"]) || words.starts(with: ["ip", "-netns"]), words.count > 3 {
            return (words[words.startIndex + 2], ["ip"] + words.dropFirst(3))
        }
        return (nil, words)
    }
}
