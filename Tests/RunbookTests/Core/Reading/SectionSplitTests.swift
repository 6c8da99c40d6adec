import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("Large documents are read in parts cut at top-level headings")
struct SectionSplitTests {
    /// Where `split` cuts `markdown` when parts may be as small as one byte.
    private func cuts(_ markdown: String) -> [SectionSplit.Part] {
        var text = markdown
        return text.withUTF8 { SectionSplit.split($0, parts: 100, minimumPart: 1) }
    }

    /// The file lines the parts start on.
    private func startLines(_ markdown: String) -> [Int] {
        cuts(markdown).map { $0.lineOffset + 1 }
    }

    /// A section with a transcript, a config block, a script and a host to inherit.
    private func section(_ number: Int) -> String {
        """
        # Part \(number)

        On the director, persist it in `/etc/sysctl.conf`:

        ```console
        director:/etc/lvs# echo 0 > /proc/sys/net/ipv4/conf/eth\(number % 4)/send_redirects
        director:/etc/lvs# route -n
        Kernel IP routing table
        Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
        0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0
        ```

        ```
        net.ipv4.conf.all.send_redirects = 0
        ```

        - a list item
          with a lazy line

        ```sh
        ip route show
        ```

        """
    }

    @Test("parts start at column-0 ATX headings, with the lines before them counted")
    func cutsAtHeadings() {
        #expect(startLines("intro\n\n# One\ntext\n\n## Two\ntext\n") == [1, 3, 6])
    }

    @Test("a heading inside a fence, indented or without a blank after the hashes is not a cut")
    func notHeadings() {
        #expect(startLines("intro\n```\n# root prompt\n```\n    # indented\n#hashtag\n####### seven\ntext\n") == [1])
        #expect(startLines("intro\n~~~~\n```\n# still code\n~~~~\n# Cut\n") == [1, 6])
    }

    @Test("an indented fence, an HTML block, a reference definition or a lone CR keeps the document whole")
    func untrackedConstructs() {
        #expect(startLines("- item\n\n  ```\n# x\n  ```\n# y\n") == [1])
        #expect(startLines("<!--\n\n# inside a comment\n-->\n# y\n") == [1])
        #expect(startLines("[docs]: https://example.com\n\n# x\n") == [1])
        #expect(startLines("a\rb\n\n# x\n") == [1])
    }

    @Test("CRLF line ends still cut, with the same line numbers")
    func crlf() {
        #expect(startLines("intro\r\n\r\n# One\r\ntext\r\n") == [1, 3])
    }

    @Test("a runbook read in parts equals the runbook read whole")
    func partsEqualWhole() throws {
        let markdown =
            "---\ntitle: parts\n---\nPreamble on the realserver:\n\n```\n$ route -n\n```\n\n"
            + (0..<40).map(section).joined()
        #expect(startLines(markdown).count > 10)
        let whole = try Runbook.parse(markdown: markdown, file: "big.md", minimumPart: .max / 4)
        let parts = try Runbook.parse(markdown: markdown, file: "big.md", minimumPart: 1)
        #expect(parts.steps.count == 40 * 4 + 1)
        #expect(parts.steps == whole.steps)
        #expect(parts.warnings == whole.warnings)
        #expect(parts.otherBlocks == whole.otherBlocks)
        #expect(parts.title == whole.title)
    }

    @Test(
        "the corpus reads the same in parts as whole", .enabled(if: hasShared("corpus"), "../shared/corpus is absent"))
    func corpusPartsEqualWhole() throws {
        let directory = sharedPath("corpus")
        var cut = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
            let text = try SourceText.load(path: "\(directory)/\(name)")
            if cuts(text).count > 1 { cut += 1 }
            let whole = try Runbook.parse(markdown: text, file: name, minimumPart: .max / 4)
            let parts = try Runbook.parse(markdown: text, file: name, minimumPart: 1)
            #expect(parts.steps == whole.steps, "\(name)")
            #expect(parts.warnings == whole.warnings, "\(name)")
        }
        // Otherwise the comparison would be of two whole readings.
        #expect(cut > 0)
    }
}
