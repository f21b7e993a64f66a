#!/usr/bin/env bash
# Builds the libFuzzer targets (AddressSanitizer + libFuzzer, optimised, with debug info) by
# compiling each target's entry files together with the server sources it exercises:
#   Fuzz/build.sh OUTDIR [TARGET...]      (default: every target)
# The server sources are listed per target below; add a file here when a fuzzed type starts
# depending on it. Package.swift is not involved.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: Fuzz/build.sh OUTDIR [TARGET...]" >&2; exit 2; }
out=$1
shift
if ! command -v swiftc >/dev/null && [ -x /opt/swift/usr/bin/swiftc ]; then
    PATH=$PATH:/opt/swift/usr/bin
fi

http=Sources/AssetSidecar/HTTP
semantics=Sources/AssetSidecar/Semantics

# The server sources each target compiles, relative to the repository.
sources() {
    case $1 in
        RequestParser)
            echo "$http/RequestParser.swift $http/ParseResult.swift $http/RequestHead.swift" \
                "$http/HeadBytes.swift $http/HeadScanner.swift $http/ScanStop.swift" \
                "$http/ParserLimits.swift $http/ParseError.swift $http/MalformedReason.swift" \
                "$http/FieldLines.swift $http/FieldName.swift $http/ByteClass.swift" \
                "$http/Method.swift $http/HTTPVersion.swift $http/TransferCoding.swift"
            ;;
        ByteRanges)
            echo "$semantics/ByteRangeRequest.swift $semantics/RangeResolution.swift" \
                "$semantics/RangeSetScanner.swift $semantics/RangeSpec.swift" \
                "$semantics/ByteSpan.swift $semantics/MultipartItem.swift" \
                "$semantics/MultipartPlan.swift $semantics/FieldBytes.swift"
            ;;
        RequestTarget)
            echo "$http/RequestTarget.swift $http/DecodedPath.swift $http/TargetError.swift"
            ;;
        Negotiation)
            echo "$semantics/ContentCoding.swift $semantics/AvailableCodings.swift" \
                "$semantics/CodingWeights.swift $semantics/QualityValue.swift" \
                "$semantics/FieldBytes.swift $semantics/FieldValueList.swift" \
                "$semantics/EntityTag.swift $semantics/EntityTagList.swift" \
                "$semantics/Preconditions.swift $semantics/PreconditionOutcome.swift" \
                "$semantics/Validators.swift $http/HTTPDate.swift"
            ;;
        HTTPDate)
            echo "$http/HTTPDate.swift"
            ;;
        *)
            echo "unknown fuzz target: $1" >&2
            return 1
            ;;
    esac
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    # Every folder of Fuzz/ with a main.swift is a target.
    for entry in "$repo"/Fuzz/*/main.swift; do
        targets+=("$(basename "$(dirname "$entry")")")
    done
fi
mkdir -p "$out"
cd "$repo"
for target in "${targets[@]}"; do
    list=$(sources "$target")
    read -r -a files <<<"$list"
    echo "building fuzz target $target" >&2
    timeout 10m swiftc -swift-version 6 -parse-as-library -O -g -sanitize=fuzzer,address \
        -use-ld=lld -module-name "Fuzz$target" -o "$out/$target" \
        Fuzz/Shared/*.swift "Fuzz/$target"/*.swift "${files[@]}"
done
