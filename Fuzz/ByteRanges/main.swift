import FuzzSupport
import Semantics

/// libFuzzer target for `ByteRangeRequest.resolve` and `MultipartPlan.make` (behaviour §5.2–§5.4).
///
/// Input: see `RangeInput`. Every resolution must be deterministic, and:
/// - `.single` and every span of `.multiple` are non-empty and inside the representation;
/// - `.multiple` has 2 to `maxRanges` spans, sorted and separated by more than
///   `ByteRangeRequest.coalescingGap` bytes, adding up to at most the length (no
///   amplification);
/// - an empty representation is never partially served;
/// - the multipart plan of `.multiple` (with and without a part `Content-Type`; the server plans
///   one only up to `MultipartPlan.maxRepresentationLength`) sends each span once, in order,
///   after a header ending in its exact `Content-Range`, and its `contentLength` is the sum of
///   its items.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzByteRanges(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = RangeInput(FuzzCheck.input(data, size))
    let resolution = ByteRangeRequest.resolve(
        input.value, length: input.length, maxRanges: input.maxRanges)
    FuzzCheck.require(
        resolution
            == ByteRangeRequest.resolve(
                input.value, length: input.length, maxRanges: input.maxRanges),
        "resolve not deterministic")

    switch resolution {
    case .whole, .unsatisfiable:
        break
    case .single(let offset, let length):
        checkSpans([ByteSpan(offset: offset, length: length)], length: input.length)
    case .multiple(let spans):
        FuzzCheck.require(spans.count >= 2, "multiple with \(spans.count) spans")
        FuzzCheck.require(spans.count <= input.maxRanges, "more spans than --max-ranges")
        checkSpans(spans, length: input.length)
        guard input.length <= MultipartPlan.maxRepresentationLength else { break }
        for contentType in [Array("application/octet-stream".utf8), []] {
            checkPlan(spans, length: input.length, contentType: contentType)
        }
    }
    return 0
}

/// Checks that `spans` are non-empty, inside `length`, sorted, apart, and not amplifying.
private func checkSpans(_ spans: [ByteSpan], length: Int64) {
    var total: Int64 = 0
    for (index, span) in spans.enumerated() {
        FuzzCheck.require(span.length > 0 && span.offset >= 0, "empty or negative span \(span)")
        FuzzCheck.require(span.offset <= length - span.length, "span \(span) past \(length)")
        if index > 0 {
            let gap = span.offset - spans[index - 1].end
            FuzzCheck.require(gap > ByteRangeRequest.coalescingGap, "spans \(index) not apart")
        }
        let (sum, overflow) = total.addingReportingOverflow(span.length)
        FuzzCheck.require(!overflow && sum <= length, "spans add up to more than \(length)")
        total = sum
    }
}

/// Checks the multipart plan of `spans` item by item and its total length.
private func checkPlan(_ spans: [ByteSpan], length: Int64, contentType: [UInt8]) {
    let boundary = MultipartPlan.boundary(seed: UInt64(spans.count))
    let plan = MultipartPlan.make(
        spans: spans, representationLength: length, contentType: contentType, boundary: boundary)
    FuzzCheck.require(plan.items.count == 2 * spans.count + 1, "plan has \(plan.items.count) items")
    var sum: Int64 = 0
    for item in plan.items {
        sum += item.count
    }
    FuzzCheck.require(sum == plan.contentLength, "contentLength \(plan.contentLength) != \(sum)")
    for (index, span) in spans.enumerated() {
        guard case .bytes(let header) = plan.items[2 * index],
            case .file(let sent) = plan.items[2 * index + 1]
        else {
            FuzzCheck.fail("part \(index) is not a header and a file span")
        }
        FuzzCheck.require(sent == span, "part \(index) sends \(sent), not \(span)")
        let contentRange = "Content-Range: bytes \(span.offset)-\(span.end - 1)/\(length)\r\n\r\n"
        FuzzCheck.require(
            header.suffix(contentRange.utf8.count).elementsEqual(contentRange.utf8),
            "part \(index) header does not end in \(contentRange)")
    }
    guard case .bytes(let close) = plan.items.last else {
        FuzzCheck.fail("plan does not end with the close delimiter")
    }
    FuzzCheck.require(
        close == Array("\r\n--".utf8) + boundary + Array("--\r\n".utf8), "close delimiter")
}

FuzzDriver.run(fuzzByteRanges)
