import RunbookCore

/// An ASCII diagram as a grid of words and annotations with their positions.
struct Diagram {
    struct Label {
        var role: String
        var row: Int
        var column: Int
    }

    struct Annotation {
        var name: String
        var address: String
        var interface: String
        var row: Int
        var column: Int
    }

    let line: Int
    let rows: [[Character]]
    var annotations: [Annotation] = []

    init(_ block: Document.CodeBlock) {
        line = block.contentLine
        rows = Bytes.lines(block.literal).map { Array($0) }
        for (row, characters) in rows.enumerated() {
            var index = 0
            while index < characters.count {
                guard characters[index] == "=", let annotation = annotation(at: index, in: characters, row: row) else {
                    index += 1
                    continue
                }
                annotations.append(annotation)
                index += 1
            }
        }
    }

    /// Whole-word occurrences of the role names, centred.
    func labels(_ roles: Set<String>) -> [Label] {
        var labels: [Label] = []
        for (row, characters) in rows.enumerated() {
            var index = 0
            while index < characters.count {
                guard characters[index].isLetter, index == 0 || !characters[index - 1].isLetter else {
                    index += 1
                    continue
                }
                let end = characters[index...].firstIndex { !$0.isLetter } ?? characters.count
                let word = String(characters[index..<end]).lowercased()
                if roles.contains(word) { labels.append(Label(role: word, row: row, column: (index + end) / 2)) }
                index = end
            }
        }
        return labels
    }

    /// `NAME=a.b.c.d` with an optional ` (eth0:110)` after it.
    private func annotation(at equals: Int, in characters: [Character], row: Int) -> Annotation? {
        var start = equals
        while start > 0, characters[start - 1].isASCII, characters[start - 1].isLetter || characters[start - 1].isNumber
        { start -= 1 }
        guard start < equals, characters[start].isUppercase else { return nil }
        var end = equals + 1
        while end < characters.count, characters[end].isNumber || characters[end] == "." { end += 1 }
        let address = String(characters[(equals + 1)..<end])
        guard IPv4.parse(address) != nil else { return nil }
        var interface = "eth0"
        var rest = end
        while rest < characters.count, characters[rest] == " " { rest += 1 }
        if rest < characters.count, characters[rest] == "(", let close = characters[rest...].firstIndex(of: ")") {
            let inside = String(characters[(rest + 1)..<close]).split(separator: " ").last.map(String.init) ?? ""
            if inside.first?.isLetter == true,
                inside.allSatisfy({ $0.isLetter || $0.isNumber || $0 == ":" || $0 == "." })
            {
                interface = inside
            }
        }
        return Annotation(
            name: String(characters[start..<equals]), address: address, interface: interface,
            row: row, column: (start + end) / 2)
    }
}
