//===- Nesting.h - Reject input nested too deeply to parse ------*- C++ -*-===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// MLIR's parser is recursive descent: every nested region, attribute list,
// type or parenthesis takes stack, and 30,000 nested `[` (60 KB of text) or
// 5,000 nested regions overflow the 8 MB main-thread stack (found by
// fuzzing, docs/Reliability.md). The drivers scan the text first and reject
// nesting deeper than kMaxNestingDepth with an error at the bracket that
// goes too deep. Models nest a handful of levels.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_SUPPORT_NESTING_H
#define KILN_SUPPORT_NESTING_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace kiln {

/// The deepest nesting of brackets the drivers parse.
constexpr unsigned kMaxNestingDepth = 256;

/// Returns the offset in `text` of the first `(`, `[`, `{` or `<` that opens
/// nesting level `maxDepth + 1`, or nothing. String literals and `//`
/// comments are skipped; `->` and `>=` close nothing.
inline std::optional<size_t>
findExcessiveNesting(llvm::StringRef text,
                     unsigned maxDepth = kMaxNestingDepth) {
  unsigned depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (c == '/' && i + 1 < e && text[i + 1] == '/') {
      while (i < e && text[i] != '\n')
        ++i;
      continue;
    }
    if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > maxDepth)
        return i;
    } else if (c == ')' || c == ']' || c == '}' ||
               (c == '>' && (i == 0 || text[i - 1] != '-') &&
                (i + 1 == e || text[i + 1] != '='))) {
      if (depth > 0)
        --depth;
    }
  }
  return std::nullopt;
}

/// The error for findExcessiveNesting's offset.
inline std::string describeExcessiveNesting() {
  return "nested more than " + std::to_string(kMaxNestingDepth) +
         " levels deep (brackets, braces, parentheses or angle brackets); "
         "Kiln does not parse input nested this deeply";
}

} // namespace kiln

#endif // KILN_SUPPORT_NESTING_H
