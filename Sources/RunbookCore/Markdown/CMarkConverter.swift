internal import CMark

/// The only code that touches libcmark: it parses, copies what `Document` needs into Swift
/// values, and frees the C tree before returning (the swift-markdown converter's discipline).
package enum CMarkConverter {
    /// The libcmark this binary runs with (`runbook --version` says it: a runbook reads as
    /// its CommonMark does).
    package static var libraryVersion: String { String(cString: cmark_version_string()) }

    /// Parses UTF-8 text; `lineOffset` is added to every line cmark reports, for text that
    /// is a part of a larger file.
    package static func convert(_ text: UnsafeBufferPointer<UInt8>, lineOffset: Int) -> Document {
        let options = CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8
        let parsed = text.withMemoryRebound(to: CChar.self) { chars in
            chars.baseAddress.flatMap { cmark_parse_document($0, chars.count, options) }
                ?? cmark_parse_document("", 0, options)
        }
        guard let root = parsed else { return Document(blocks: []) }
        defer { cmark_node_free(root) }
        guard let iterator = cmark_iter_new(root) else { return Document(blocks: []) }
        defer { cmark_iter_free(iterator) }

        var source = SourceLines(text)
        var blocks: [Document.Block] = []
        // The text of the heading or paragraph being read, gathered as bytes: a paragraph is
        // many text nodes, and a String per node would be an allocation per node.
        var inlineText: [UInt8] = []
        var spans: [String] = []
        var inInline = false
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            switch (type, event) {
            case (CMARK_NODE_HEADING, CMARK_EVENT_ENTER), (CMARK_NODE_PARAGRAPH, CMARK_EVENT_ENTER):
                inlineText.removeAll(keepingCapacity: true)
                spans = []
                inInline = true
            case (CMARK_NODE_HEADING, CMARK_EVENT_EXIT):
                let heading = Document.Heading(
                    level: Int(cmark_node_get_heading_level(node)),
                    text: String(decoding: inlineText, as: UTF8.self),
                    line: lineOffset + Int(cmark_node_get_start_line(node)))
                blocks.append(.heading(heading))
                inInline = false
            case (CMARK_NODE_PARAGRAPH, CMARK_EVENT_EXIT):
                let paragraph = Document.Paragraph(
                    text: String(decoding: inlineText, as: UTF8.self),
                    codeSpans: spans,
                    line: lineOffset + Int(cmark_node_get_start_line(node)))
                blocks.append(.paragraph(paragraph))
                inInline = false
            case (CMARK_NODE_TEXT, _) where inInline:
                appendLiteral(node, to: &inlineText)
            case (CMARK_NODE_SOFTBREAK, _) where inInline, (CMARK_NODE_LINEBREAK, _) where inInline:
                inlineText.append(UInt8(ascii: "\n"))
            case (CMARK_NODE_CODE, _) where inInline:
                let start = inlineText.count
                appendLiteral(node, to: &inlineText)
                spans.append(String(decoding: inlineText[start...], as: UTF8.self))
            case (CMARK_NODE_CODE_BLOCK, _):
                blocks.append(.codeBlock(codeBlock(node, source: &source, lineOffset: lineOffset)))
            default:
                break
            }
        }
        return Document(blocks: blocks)
    }

    private static func appendLiteral(_ node: OpaquePointer, to bytes: inout [UInt8]) {
        guard let literal = cmark_node_get_literal(node) else { return }
        literal.withMemoryRebound(to: UInt8.self, capacity: 1) { pointer in
            bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: Platform.cStringLength(literal)))
        }
    }

    private static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private static func codeBlock(
        _ node: OpaquePointer, source: inout SourceLines, lineOffset: Int
    ) -> Document.CodeBlock {
        let startLine = Int(cmark_node_get_start_line(node))
        let endLine = Int(cmark_node_get_end_line(node))
        let startColumn = Int(cmark_node_get_start_column(node))
        let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
        let fence = source.fence(line: startLine, column: startColumn)
        var closed = true
        if let fence {
            closed = endLine > startLine && source.closesFence(line: endLine, fence: fence)
        }
        return Document.CodeBlock(
            info: info,
            literal: literal(node),
            line: lineOffset + startLine,
            contentLine: lineOffset + (fence == nil ? startLine : startLine + 1),
            isFenced: fence != nil,
            isClosed: closed)
    }
}

/// The source's lines by number, so that fences can be inspected where cmark does not report
/// them (libcmark 0.30 has no getter for the fence character or length). Code blocks come in
/// document order, so a cursor that moves forward finds each line without an index of all.
private struct SourceLines {
    package let text: UnsafeBufferPointer<UInt8>
    /// Line number and byte offset of the line the cursor is at.
    package var cursor = (line: 1, offset: 0)

    package init(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    package mutating func line(_ number: Int) -> Slice<UnsafeBufferPointer<UInt8>> {
        guard number >= 1 else { return text[0..<0] }
        if number < cursor.line { cursor = (1, 0) }
        while cursor.line < number {
            guard let newline = Bytes.offset(of: 0x0A, in: text, from: cursor.offset) else {
                return text[text.count...]
            }
            cursor = (cursor.line + 1, newline + 1)
        }
        let end = Bytes.offset(of: 0x0A, in: text, from: cursor.offset).map { $0 + 1 } ?? text.count
        return text[cursor.offset..<end]
    }

    /// The fence character and length when a fenced block opens at this line and column.
    package mutating func fence(line number: Int, column: Int) -> (character: UInt8, length: Int)? {
        let text = line(number).dropFirst(max(column - 1, 0))
        guard let first = text.first, first == UInt8(ascii: "`") || first == UInt8(ascii: "~") else {
            return nil
        }
        let length = text.prefix(while: { $0 == first }).count
        return length >= 3 ? (first, length) : nil
    }

    /// Whether this line, stripped of container markers (`>`) and white space, is a closing fence.
    package mutating func closesFence(line number: Int, fence: (character: UInt8, length: Int)) -> Bool {
        let isBlank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 13 || $0 == 10 }
        var text = line(number).drop(while: { isBlank($0) || $0 == UInt8(ascii: ">") })
        while let last = text.last, isBlank(last) { text = text.dropLast() }
        return text.count >= fence.length && text.allSatisfy { $0 == fence.character }
    }
}
