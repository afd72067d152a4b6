//===- PipelineText.cpp - kilnc's textual pass pipelines ------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// Printing, reading and splicing textual pass pipelines: what
// --print-pipeline, --dump-after and --run-pass-after/--run-pass-before work
// on. See PipelineText.h.
//
//===----------------------------------------------------------------------===//

#include "PipelineText.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace kilnc;

/// Returns `pm` as `kiln-opt --pass-pipeline` accepts it, e.g.
/// `builtin.module(canonicalize{...},cse,func.func(...),...)`.
std::string kilnc::getTextualPipeline(const OpPassManager &pm) {
  std::string text;
  llvm::raw_string_ostream os(text);
  pm.printAsTextualPipeline(os);
  return text;
}

/// Returns the pass arguments of a textual pipeline in pipeline order,
/// nested passes included: the names not followed by `(` (those are anchors
/// like `func.func`), with `{...}` options skipped.
std::vector<std::string> kilnc::getPassArguments(llvm::StringRef pipeline) {
  std::vector<std::string> arguments;
  std::string name;
  unsigned optionDepth = 0;
  auto flush = [&] {
    if (!name.empty())
      arguments.push_back(name);
    name.clear();
  };
  for (char c : pipeline) {
    if (optionDepth) {
      optionDepth += c == '{';
      optionDepth -= c == '}';
      continue;
    }
    if (c == '{') {
      flush();
      optionDepth = 1;
    } else if (c == '(') {
      name.clear();
    } else if (c == ',' || c == ')') {
      flush();
    } else if (!llvm::isSpace(c)) {
      name.push_back(c);
    }
  }
  flush();
  return arguments;
}


namespace {
/// Parses a textual pipeline as printPipeline() writes it, anchors
/// included (`builtin.module(cse,func.func(canonicalize{...}))`).
class PipelineTextParser {
public:
  explicit PipelineTextParser(llvm::StringRef text) : text(text) {}

  /// Parses a comma-separated list of elements up to a `)` or the end.
  bool parseList(std::vector<PipelineElement> &elements) {
    skipSpaces();
    if (atEnd() || peek() == ')')
      return true;
    while (true) {
      PipelineElement element;
      if (!parseElement(element))
        return false;
      elements.push_back(std::move(element));
      skipSpaces();
      if (atEnd() || peek() == ')')
        return true;
      if (peek() != ',')
        return false;
      ++pos;
    }
  }

  bool atEnd() const { return pos >= text.size(); }

private:
  char peek() const { return text[pos]; }

  void skipSpaces() {
    while (!atEnd() && llvm::isSpace(peek()))
      ++pos;
  }

  bool parseElement(PipelineElement &element) {
    skipSpaces();
    size_t start = pos;
    while (!atEnd() && !llvm::is_contained("{(),", peek()) &&
           !llvm::isSpace(peek()))
      ++pos;
    element.name = text.slice(start, pos).str();
    if (element.name.empty())
      return false;
    skipSpaces();
    if (!atEnd() && peek() == '{') {
      // Options, possibly with nested braces and quoted strings.
      size_t optionsStart = pos;
      unsigned depth = 0;
      char quote = 0;
      for (; !atEnd(); ++pos) {
        char c = peek();
        if (quote) {
          quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '{') {
          ++depth;
        } else if (c == '}' && --depth == 0) {
          ++pos;
          break;
        }
      }
      if (depth != 0)
        return false;
      element.options = text.slice(optionsStart, pos).str();
      skipSpaces();
    }
    if (!atEnd() && peek() == '(') {
      ++pos;
      element.isAnchor = true;
      if (!parseList(element.nested) || atEnd() || peek() != ')')
        return false;
      ++pos;
    }
    return true;
  }

  llvm::StringRef text;
  size_t pos = 0;
};
} // namespace

/// Parses `text`, a pipeline anchored on one op (`builtin.module(...)`),
/// into its anchor element.
std::optional<PipelineElement>
kilnc::parseAnchoredPipeline(llvm::StringRef text) {
  PipelineTextParser parser(text);
  std::vector<PipelineElement> elements;
  if (!parser.parseList(elements) || !parser.atEnd() || elements.size() != 1 ||
      !elements.front().isAnchor)
    return std::nullopt;
  return std::move(elements.front());
}

/// Appends `element` to `os` in pipeline syntax.
void kilnc::printElement(const PipelineElement &element,
                         llvm::raw_ostream &os) {
  os << element.name << element.options;
  if (!element.isAnchor)
    return;
  os << '(';
  llvm::interleave(
      element.nested, os,
      [&](const PipelineElement &nested) { printElement(nested, os); }, ",");
  os << ')';
}

/// Returns `elements` with a marker for each insertion before or after each
/// pass it names. An anchor around such a pass is split around the marker:
/// `func.func(a,P,b)` with an insertion after P is `func.func(a,P)`,
/// marker, `func.func(b)`, since the inserted pipeline runs on the module.
std::vector<SplicedItem>
kilnc::spliceInsertions(const std::vector<PipelineElement> &elements,
                 llvm::ArrayRef<Insertion> insertions) {
  std::vector<SplicedItem> items;
  for (const PipelineElement &element : elements) {
    if (element.isAnchor && !element.nested.empty()) {
      PipelineElement run{element.name, element.options, true, {}};
      auto flush = [&] {
        if (!run.nested.empty())
          items.push_back(run);
        run.nested.clear();
      };
      for (SplicedItem &item : spliceInsertions(element.nested, insertions)) {
        if (auto *nested = std::get_if<PipelineElement>(&item)) {
          run.nested.push_back(std::move(*nested));
        } else {
          flush();
          items.push_back(item);
        }
      }
      flush();
      continue;
    }
    for (auto [i, insertion] : llvm::enumerate(insertions))
      if (insertion.before && !element.isAnchor &&
          insertion.point == element.name)
        items.push_back(i);
    items.push_back(element);
    for (auto [i, insertion] : llvm::enumerate(insertions))
      if (!insertion.before && !element.isAnchor &&
          insertion.point == element.name)
        items.push_back(i);
  }
  return items;
}
