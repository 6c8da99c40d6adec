import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore

/// Recognition measured on real documents nobody here wrote, against answer keys written by
/// reading them (Tests/Fixtures/corpus/LABELLING.md). The figures are printed on every run and
/// may not drop below the floors recorded in Tests/Fixtures/corpus/floors.tsv; raise a floor
/// when recognition gets better (`UPDATE_FLOORS=1 swift test --filter CorpusScore` writes the
/// measured figures).
@Suite("Recognition on the labelled corpus")
struct CorpusScoreTests {
    static let corpusDirectory = packageRoot.appendingPathComponent("Tests/Fixtures/corpus")
    static let sharedKeys = packageRoot.appendingPathComponent("Tests/Fixtures/shared-corpus")

    /// (document, answer key) pairs of a corpus.
    static func pairs(_ corpus: String) -> [(document: String, key: String)] {
        let manager = FileManager.default
        switch corpus {
        case "repository":
            let names = (try? manager.contentsOfDirectory(atPath: corpusDirectory.path)) ?? []
            return names.filter { $0.hasSuffix(".expected") }.sorted().compactMap { name in
                let document = corpusDirectory.appendingPathComponent(String(name.dropLast(".expected".count)) + ".md")
                    .path
                return manager.fileExists(atPath: document)
                    ? (document, corpusDirectory.appendingPathComponent(name).path) : nil
            }
        default:
            let names = (try? manager.contentsOfDirectory(atPath: sharedKeys.path)) ?? []
            return names.filter { $0.hasSuffix(".expected") }.sorted().compactMap { name in
                let base = String(name.dropLast(".expected".count))
                let document =
                    base == "000-seed" ? sharedPath("seeds/000_44be082270b77cdf.txt") : sharedPath("corpus/\(base).md")
                return manager.fileExists(atPath: document)
                    ? (document, sharedKeys.appendingPathComponent(name).path) : nil
            }
        }
    }

    static func score(_ corpus: String) throws -> Score {
        var total = Score()
        var report =
            "document                                   S m/e/a    R m/e/a   U m/e/a   T m/e/a   A m/e/a   V m/e/a   C m/e/a    not-cmd/steps\n"
        for (document, keyPath) in pairs(corpus) {
            let key = Facts(key: try String(contentsOfFile: keyPath, encoding: .utf8))
            let steps = (try? Runbook.load(path: document))?.steps ?? []
            let score = Score(expected: key, actual: Facts(steps: steps), steps: steps.count)
            total += score
            let name = URL(fileURLWithPath: document).lastPathComponent
            report += name.padding(toLength: 40, withPad: " ", startingAt: 0)
            for kind in Facts.Kind.allCases {
                let counts = score.kinds[kind] ?? Score.Counts()
                report +=
                    "  "
                    + "\(counts.matched)/\(counts.expected)/\(counts.emitted)".padding(
                        toLength: 8, withPad: " ", startingAt: 0)
            }
            report += "  \(score.notCommands)/\(score.steps)\n"
            // CORPUS_DETAIL=PREFIX lists what the reader missed and invented in those documents.
            if let prefix = ProcessInfo.processInfo.environment["CORPUS_DETAIL"], name.hasPrefix(prefix) {
                for fact in score.missed { report += "    missed   \(fact.kind.rawValue)|\(fact.host)|\(fact.what)\n" }
                for (host, fact) in score.otherHost {
                    report += "    host     \(fact.kind.rawValue)|\(host) read as \(fact.host)|\(fact.what)\n"
                }
                for fact in score.invented {
                    report += "    invented \(fact.kind.rawValue)|\(fact.host)|\(fact.what)\n"
                }
            }
        }
        report += "\n\(corpus) corpus: \(pairs(corpus).count) documents, \(total.steps) steps\n"
        for kind in Facts.Kind.allCases {
            let counts = total.kinds[kind] ?? Score.Counts()
            report +=
                "  \(kind)".padding(toLength: 14, withPad: " ", startingAt: 0)
                + " recall \(percent(counts.recall)) (\(counts.matched)/\(counts.expected))"
                + "  precision \(percent(counts.precision)) (\(counts.matched)/\(counts.emitted))"
                + "  same host \(counts.matched == 0 ? "-" : percent(Double(counts.sameHost) / Double(counts.matched)))\n"
        }
        report +=
            "  not commands taken as commands: \(total.notCommands) of \(total.steps) steps (\(percent(total.steps == 0 ? 0 : Double(total.notCommands) / Double(total.steps))))\n"
        print(report)
        return total
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.1f %%", value * 100)
    }

    /// The figures a corpus may not drop below: `corpus kind figure value` per line.
    static func floors() throws -> [String: Double] {
        let text = try String(contentsOf: corpusDirectory.appendingPathComponent("floors.tsv"), encoding: .utf8)
        var floors: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            if fields.count == 4, let value = Double(fields[3]) {
                floors["\(fields[0]) \(fields[1]) \(fields[2])"] = value
            }
        }
        return floors
    }

    static func figures(_ corpus: String, _ score: Score) -> [String: Double] {
        var figures: [String: Double] = [:]
        for kind in [Facts.Kind.sysctl, .route, .table, .address, .ipvs] {
            let counts = score.kinds[kind] ?? Score.Counts()
            figures["\(corpus) \(kind) recall"] = counts.recall
            if kind != .table { figures["\(corpus) \(kind) precision"] = counts.precision }
        }
        // Stored as the share of steps that are commands, so that every figure is a floor.
        figures["\(corpus) steps commands"] = score.steps == 0 ? 1 : 1 - Double(score.notCommands) / Double(score.steps)
        return figures
    }

    static func check(_ corpus: String) throws {
        let measured = figures(corpus, try score(corpus))
        if ProcessInfo.processInfo.environment["UPDATE_FLOORS"] == "1" {
            var all = try floors()
            for (name, value) in measured { all[name] = (value * 1000).rounded(.down) / 1000 }
            let lines = all.keys.sorted().map { name in
                name.split(separator: " ").joined(separator: "\t") + "\t\(all[name]!)"
            }
            try (["# corpus\tkind\tfigure\tfloor (written by UPDATE_FLOORS=1; raise, never lower)"] + lines)
                .joined(separator: "\n").appending("\n")
                .write(to: corpusDirectory.appendingPathComponent("floors.tsv"), atomically: true, encoding: .utf8)
            return
        }
        let floors = try floors()
        for (name, value) in measured.sorted(by: { $0.key < $1.key }) {
            guard let floor = floors[name] else { continue }
            #expect(value + 1e-9 >= floor, "\(name) is \(percent(value)), below its floor \(percent(floor))")
        }
    }

    /// Blocks that yielded no step although the answer key lists a command typed in them, and
    /// have no warning of their own: commands dropped silently.
    static func silentlyDropped(_ corpus: String) throws -> [String] {
        var dropped: [String] = []
        for (document, keyPath) in pairs(corpus) {
            guard let runbook = try? Runbook.load(path: document) else { continue }
            let key = Facts(key: try String(contentsOfFile: keyPath, encoding: .utf8))
            let commands = key.facts.filter { $0.kind == .command || $0.kind == .plainRoute }.map(\.what).filter {
                $0.count >= 8
            }
            for block in runbook.otherBlocks {
                // A command of the key that starts one of the block's lines, after any prompt.
                let lines = block.literal.split(separator: "\n").map { Facts.command(String($0)) }
                guard
                    let command = commands.first(where: { command in
                        lines.contains {
                            $0.hasPrefix(command) || $0.contains("# " + command) || $0.contains("$ " + command)
                        }
                    })
                else { continue }
                let end =
                    block.contentLine + block.literal.split(separator: "\n", omittingEmptySubsequences: false).count
                if !runbook.warnings.contains(where: { (block.line...end).contains($0.location.line) }) {
                    dropped.append("\(URL(fileURLWithPath: document).lastPathComponent):\(block.line): \(command)")
                }
            }
        }
        return dropped
    }

    @Test("no block with commands in it yields nothing without a warning")
    func noSilentDrops() throws {
        let dropped =
            try Self.silentlyDropped("repository") + (hasShared("corpus") ? Self.silentlyDropped("shared") : [])
        #expect(dropped.isEmpty, "\(dropped.count) blocks dropped silently:\n\(dropped.joined(separator: "\n"))")
    }

    @Test("the repository's corpus reads at least as well as its recorded floors")
    func repositoryCorpus() throws {
        #expect(Self.pairs("repository").count >= 60)
        try Self.check("repository")
    }

    @Test(
        "../shared/corpus reads at least as well as its recorded floors",
        .enabled(if: hasShared("corpus"), "../shared is not beside this checkout"))
    func sharedCorpus() throws {
        try Self.check("shared")
    }
}

/// Found by the fuzz target on a corpus document: a file named in one section reached settings
/// under later headings when the document was read whole, not when it was cut into parts.
@Suite("Corpus documents read in parts")
struct CorpusPartsTests {
    @Test("every corpus document reads the same whole and cut at every heading")
    func partsMatchWhole() throws {
        for (document, _) in CorpusScoreTests.pairs("repository") {
            let text = try String(contentsOfFile: document, encoding: .utf8)
            guard let whole = try? Runbook.parse(markdown: text, file: "f", minimumPart: .max / 4) else { continue }
            let parts = try Runbook.parse(markdown: text, file: "f", minimumPart: 1)
            #expect(whole.steps == parts.steps, "\(document)")
            #expect(whole.warnings == parts.warnings, "\(document)")
        }
    }
}
