//===- RunEntry.cpp - kilnc --run: the program's command line -------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
//
// The command line of AOT-compiled executables (lib/Runtime/Main.c), for
// modules compiled in-process: same options, same checks, same output, all
// through the runtime's C API.
//
//===----------------------------------------------------------------------===//

#include "RunEntry.h"

#include "kiln/Runtime/Runtime.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <string>
#include <vector>

namespace {
/// Outputs larger than this are summarized with "..." unless --full.
constexpr int64_t kPrintThreshold = 1000;

/// Owns a runtime tensor.
struct Tensor {
  kiln_tensor_t t = {};
  Tensor() = default;
  Tensor(const Tensor &) = delete;
  Tensor &operator=(const Tensor &) = delete;
  ~Tensor() { kiln_tensor_free(&t); }
};

/// Owns a parsed signature.
struct Signature {
  kiln_signature_t sig = {};
  ~Signature() { kiln_signature_free(&sig); }
};

/// The parsed command line.
struct Options {
  const char *entry = nullptr;
  std::vector<const char *> outFiles;
  std::vector<const char *> inFiles;
  bool print = false;
  bool full = false;
  bool help = false;
};

class Runner {
public:
  Runner(llvm::StringRef progName, llvm::StringRef usage)
      : progName(progName), usage(usage) {}

  int error(const llvm::Twine &message) {
    std::fflush(stdout);
    llvm::errs() << progName << ": error: " << message << "\n";
    return 1;
  }

  int parseArgs(llvm::ArrayRef<const char *> args, Options &opts);
  void printHelp(const kiln_signature_t &sig);
  int run(const kiln_signature_t &sig, const kiln_entry_t *table,
          const Options &opts);

private:
  llvm::StringRef progName;
  llvm::StringRef usage;
};
} // namespace

int Runner::parseArgs(llvm::ArrayRef<const char *> args, Options &opts) {
  bool onlyFiles = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (onlyFiles || !a.starts_with("-") || a == "-") {
      opts.inFiles.push_back(args[i]);
      continue;
    }
    if (a == "--") {
      onlyFiles = true;
    } else if (a == "--help" || a == "-h") {
      opts.help = true;
    } else if (a == "--print") {
      opts.print = true;
    } else if (a == "--full") {
      opts.full = true;
    } else if (a == "--entry" || a == "-o" || a == "--output") {
      if (i + 1 >= args.size())
        return error("option '" + a + "' requires an argument");
      const char *value = args[++i];
      if (a == "--entry")
        opts.entry = value;
      else
        opts.outFiles.push_back(value);
    } else if (a.starts_with("--entry=")) {
      opts.entry = args[i] + 8;
    } else if (a.starts_with("--output=")) {
      opts.outFiles.push_back(args[i] + 9);
    } else {
      return error("unknown option '" + a + "' (see --help)");
    }
  }
  if (opts.entry && !*opts.entry)
    return error("option '--entry' requires a non-empty name");
  for (const char *file : opts.outFiles)
    if (!*file)
      return error("option '-o' requires a non-empty file name");
  return 0;
}

/// Returns "1x784 f32" for `arg`.
static std::string format(const kiln_sig_arg_t &arg) {
  char buf[256];
  return kiln_sig_arg_format(buf, sizeof(buf), &arg);
}

/// Returns the names of `args` separated by `sep`.
static std::string joinNames(const kiln_sig_arg_t *args, size_t n,
                             llvm::StringRef sep) {
  llvm::SmallVector<llvm::StringRef> names;
  for (size_t i = 0; i < n; ++i)
    names.push_back(args[i].name);
  return llvm::join(names, sep);
}

void Runner::printHelp(const kiln_signature_t &sig) {
  llvm::outs() << llvm::formatv(
      "USAGE: {0} [options] INPUT.npy...\n"
      "\n"
      "Runs an entry point of the compiled Kiln module. Inputs are .npy\n"
      "files given in the entry's input order; params are initialized\n"
      "with the initializers recorded at compile time.\n"
      "\n"
      "OPTIONS:\n"
      "  --entry NAME   entry point to run (default: the first one)\n"
      "  -o FILE        write the next output to FILE as .npy; repeat\n"
      "                 for further outputs, in order\n"
      "  --print        print every output to stdout (this is the\n"
      "                 default when no -o is given)\n"
      "  --full         print all elements (default: summarize outputs\n"
      "                 with more than {1} elements)\n"
      "  --help, -h     show this help and exit\n"
      "  --             treat all following arguments as input files\n"
      "\n"
      "ENTRY POINTS:\n",
      usage, kPrintThreshold);
  for (size_t i = 0; i < sig.num_entries; ++i) {
    const kiln_sig_entry_t &e = sig.entries[i];
    llvm::outs() << "  " << e.name << (i == 0 ? " (default)" : "") << "\n";
    for (size_t j = 0; j < e.num_inputs; ++j)
      llvm::outs() << llvm::formatv("    {0,-7}{1}: {2}\n", "input",
                                    e.inputs[j].name, format(e.inputs[j]));
    for (size_t j = 0; j < e.num_outputs; ++j)
      llvm::outs() << llvm::formatv("    {0,-7}{1}: {2}\n", "output",
                                    e.outputs[j].name, format(e.outputs[j]));
    if (e.num_params)
      llvm::outs() << "    (" << e.num_params << " param"
                   << (e.num_params == 1 ? "" : "s")
                   << ", initialized automatically)\n";
  }
  llvm::outs().flush();
}

int Runner::run(const kiln_signature_t &sig, const kiln_entry_t *table,
                const Options &opts) {
  char err[1024];
  if (sig.num_entries == 0)
    return error("module has no entry points");
  const kiln_sig_entry_t *entry = kiln_signature_find_entry(&sig, opts.entry);
  if (!entry) {
    llvm::SmallVector<llvm::StringRef> names;
    for (size_t i = 0; i < sig.num_entries; ++i)
      names.push_back(sig.entries[i].name);
    return error(llvm::Twine("unknown entry '") + opts.entry +
                 "' (available: " + llvm::join(names, ", ") + ")");
  }
  kiln_entry_fn_t fn = kiln_entry_table_find(table, entry->name);
  if (!fn)
    return error(llvm::Twine("entry '") + entry->name +
                 "' is missing from the module's entry table");

  size_t numIn = opts.inFiles.size(), numOut = opts.outFiles.size();
  std::string names = joinNames(entry->inputs, entry->num_inputs, " ");
  if (numIn < entry->num_inputs)
    return error(llvm::formatv(
        "missing input '{0}': entry '{1}' takes {2} input{3} ({4}), got {5}",
        entry->inputs[numIn].name, entry->name, entry->num_inputs,
        entry->num_inputs == 1 ? "" : "s", names, numIn));
  if (numIn > entry->num_inputs)
    return error(llvm::formatv(
        "too many inputs: entry '{0}' takes {1} input{2}{3}, got {4}",
        entry->name, entry->num_inputs, entry->num_inputs == 1 ? "" : "s",
        entry->num_inputs ? " (" + names + ")" : std::string(), numIn));
  if (numOut > entry->num_outputs)
    return error(llvm::formatv(
        "too many -o options: entry '{0}' has {1} output{2}", entry->name,
        entry->num_outputs, entry->num_outputs == 1 ? "" : "s"));

  std::vector<Tensor> params(entry->num_params), inputs(entry->num_inputs),
      outputs(entry->num_outputs);
  for (size_t i = 0; i < entry->num_inputs; ++i) {
    if (kiln_npy_read(opts.inFiles[i], &inputs[i].t, err, sizeof(err)) !=
        KILN_OK)
      return error(err);
    if (kiln_sig_arg_check(&entry->inputs[i], &inputs[i].t, err, sizeof(err)) !=
        KILN_OK)
      return error(llvm::Twine(opts.inFiles[i]) + ": " + err);
  }
  for (size_t i = 0; i < entry->num_params; ++i)
    if (kiln_sig_arg_alloc(&entry->params[i], &params[i].t, err, sizeof(err)) !=
            KILN_OK ||
        kiln_sig_arg_init(&entry->params[i], &params[i].t, err, sizeof(err)) !=
            KILN_OK)
      return error(err);
  for (size_t i = 0; i < entry->num_outputs; ++i)
    if (kiln_sig_arg_alloc(&entry->outputs[i], &outputs[i].t, err,
                           sizeof(err)) != KILN_OK)
      return error(err);

  auto pointers = [](std::vector<Tensor> &ts) {
    std::vector<kiln_tensor_t *> ptrs;
    for (Tensor &t : ts)
      ptrs.push_back(&t.t);
    return ptrs;
  };
  std::vector<kiln_tensor_t *> p = pointers(params), in = pointers(inputs),
                               out = pointers(outputs);
  if (kiln_call_entry(entry, fn, p.data(), p.size(), in.data(), in.size(),
                      out.data(), out.size(), err, sizeof(err)) != KILN_OK)
    return error(err);

  for (size_t i = 0; i < numOut; ++i)
    if (kiln_npy_write(opts.outFiles[i], &outputs[i].t, err, sizeof(err)) !=
        KILN_OK)
      return error(err);
  if (opts.print || numOut == 0) {
    for (size_t i = 0; i < entry->num_outputs; ++i) {
      std::printf("output %s: %s\n", entry->outputs[i].name,
                  format(entry->outputs[i]).c_str());
      kiln_tensor_print(stdout, &outputs[i].t, opts.full ? 0 : kPrintThreshold);
    }
  }
  if (std::fflush(stdout) != 0)
    return error("cannot write to standard output");
  return 0;
}

int kiln::runEntryMain(llvm::StringRef progName, llvm::StringRef usage,
                       llvm::ArrayRef<const char *> args, const char *signature,
                       const kiln_entry_t *table) {
  Runner runner(progName, usage);
  char err[1024];
  Signature sig;
  if (kiln_signature_parse(signature, &sig.sig, err, sizeof(err)) != KILN_OK)
    return runner.error(llvm::Twine("corrupt module signature: ") + err);
  Options opts;
  if (int rc = runner.parseArgs(args, opts))
    return rc;
  if (opts.help) {
    runner.printHelp(sig.sig);
    return 0;
  }
  return runner.run(sig.sig, table, opts);
}
