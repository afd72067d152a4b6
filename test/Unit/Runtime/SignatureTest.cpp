//===- SignatureTest.cpp - Tests of the module signature parser -----------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtil.h"

using namespace kiln_test;

namespace {

const char *const Example =
    "kiln-abi 1\n"
    "entry forward\n"
    "param fc1.w f32 784x512 init=xavier_uniform seed=1 a=0 b=0 fan_in=784 "
    "fan_out=512\n"
    "param fc1.b f32 512 init=zeros seed=2 a=0 b=0 fan_in=512 fan_out=512\n"
    "input x f32 1x784\n"
    "output 0 f32 1x10\n"
    "entry other\n"
    "input a i64 4\n"
    "output 0 f32 scalar\n";

TEST(SignatureTest, ParsesExample) {
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(Example, &sig, err, sizeof(err)), KILN_OK)
      << err;
  EXPECT_EQ(sig.abi_version, 1);
  ASSERT_EQ(sig.num_entries, 2u);

  const kiln_sig_entry_t &fwd = sig.entries[0];
  EXPECT_STREQ(fwd.name, "forward");
  ASSERT_EQ(fwd.num_params, 2u);
  ASSERT_EQ(fwd.num_inputs, 1u);
  ASSERT_EQ(fwd.num_outputs, 1u);
  const kiln_sig_arg_t &w = fwd.params[0];
  EXPECT_EQ(w.kind, KILN_ARG_PARAM);
  EXPECT_STREQ(w.name, "fc1.w");
  EXPECT_EQ(w.dtype, KILN_F32);
  EXPECT_EQ(w.rank, 2);
  EXPECT_EQ(w.shape[0], 784);
  EXPECT_EQ(w.shape[1], 512);
  EXPECT_EQ(w.init, KILN_INIT_XAVIER_UNIFORM);
  EXPECT_EQ(w.seed, 1u);
  EXPECT_EQ(w.a, 0.0);
  EXPECT_EQ(w.fan_in, 784);
  EXPECT_EQ(w.fan_out, 512);
  const kiln_sig_arg_t &b = fwd.params[1];
  EXPECT_STREQ(b.name, "fc1.b");
  EXPECT_EQ(b.rank, 1);
  EXPECT_EQ(b.init, KILN_INIT_ZEROS);
  EXPECT_EQ(b.seed, 2u);
  EXPECT_STREQ(fwd.inputs[0].name, "x");
  EXPECT_EQ(fwd.inputs[0].kind, KILN_ARG_INPUT);
  EXPECT_EQ(fwd.inputs[0].shape[1], 784);
  EXPECT_STREQ(fwd.outputs[0].name, "0");
  EXPECT_EQ(fwd.outputs[0].kind, KILN_ARG_OUTPUT);
  char buf[64];
  EXPECT_STREQ(kiln_sig_arg_format(buf, sizeof(buf), &fwd.outputs[0]),
               "1x10 f32");

  const kiln_sig_entry_t &other = sig.entries[1];
  EXPECT_STREQ(other.name, "other");
  EXPECT_EQ(other.num_params, 0u);
  EXPECT_EQ(other.inputs[0].dtype, KILN_I64);
  EXPECT_EQ(other.outputs[0].rank, 0);
  EXPECT_STREQ(kiln_sig_arg_format(buf, sizeof(buf), &other.outputs[0]),
               "scalar f32");

  EXPECT_EQ(kiln_signature_find_entry(&sig, nullptr), &sig.entries[0]);
  EXPECT_EQ(kiln_signature_find_entry(&sig, "other"), &sig.entries[1]);
  EXPECT_EQ(kiln_signature_find_entry(&sig, "nope"), nullptr);
  kiln_signature_free(&sig);
  EXPECT_EQ(sig.num_entries, 0u);
  EXPECT_EQ(sig.entries, nullptr);
  kiln_signature_free(&sig); // Idempotent.
}

TEST(SignatureTest, AllInitKindsAndValues) {
  const char *text =
      "kiln-abi 1\n"
      "entry e\n"
      "param p0 f32 2 init=zeros\n"
      "param p1 f32 2 init=ones\n"
      "param p2 f32 2 init=uniform a=-0.5 b=1.5e0\n"
      "param p3 f32 2 init=normal a=1 b=0.25 seed=18446744073709551615\n"
      "param p4 f32 2 init=xavier_uniform fan_in=3 fan_out=-4\n"
      "param p5 f64 2 init=xavier_normal\n"
      "param p6 i32 2 init=he_uniform\n"
      "param p7 i64 2 init=he_normal\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  const kiln_sig_entry_t &e = sig.entries[0];
  ASSERT_EQ(e.num_params, 8u);
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(e.params[i].init, static_cast<kiln_init_kind_t>(i));
  EXPECT_EQ(e.params[2].a, -0.5);
  EXPECT_EQ(e.params[2].b, 1.5);
  EXPECT_EQ(e.params[3].seed, UINT64_MAX);
  EXPECT_EQ(e.params[4].fan_out, -4);
  EXPECT_EQ(e.params[5].dtype, KILN_F64);
  kiln_signature_free(&sig);
}

TEST(SignatureTest, ForwardCompatibleAndLenient) {
  // Unknown keys are ignored on every record; CRLF, blank lines, comments,
  // repeated spaces and a missing final newline are accepted.
  const char *text = "# produced by kilnc\r\n"
                     "kiln-abi 1 build=abc\r\n"
                     "\r\n"
                     "entry main  attrs=none\r\n"
                     "param w  f32 4 init=ones layout=row quant=int8\r\n"
                     "input x f32 4 layout=nchw\r\n"
                     "output 0 f32 4 alias=x";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  ASSERT_EQ(sig.num_entries, 1u);
  EXPECT_STREQ(sig.entries[0].name, "main");
  EXPECT_EQ(sig.entries[0].params[0].init, KILN_INIT_ONES);
  EXPECT_EQ(sig.entries[0].num_outputs, 1u);
  kiln_signature_free(&sig);

  // A signature with only the header is valid and has no entries.
  ASSERT_EQ(kiln_signature_parse("kiln-abi 1\n", &sig, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(sig.num_entries, 0u);
  EXPECT_EQ(kiln_signature_find_entry(&sig, nullptr), nullptr);
  kiln_signature_free(&sig);
}

struct BadCase {
  const char *text;
  kiln_status_t status;
  const char *message;
};

TEST(SignatureTest, MalformedInputs) {
  const BadCase cases[] = {
      {"", KILN_ERR_FORMAT, "signature: missing 'kiln-abi 1' header"},
      {"\n\n", KILN_ERR_FORMAT, "missing 'kiln-abi 1' header"},
      {"entry forward\n", KILN_ERR_FORMAT,
       "signature line 1: expected 'kiln-abi 1' header, found 'entry'"},
      {"kiln-abi 2\n", KILN_ERR_UNSUPPORTED,
       "signature line 1: unsupported ABI version 2 (this runtime supports "
       "1)"},
      {"kiln-abi\n", KILN_ERR_FORMAT, "malformed 'kiln-abi' record"},
      {"kiln-abi one\n", KILN_ERR_FORMAT, "malformed 'kiln-abi' record"},
      {"kiln-abi 1\nkiln-abi 1\n", KILN_ERR_FORMAT,
       "signature line 2: duplicate 'kiln-abi' record"},
      {"kiln-abi 1\nentry\n", KILN_ERR_FORMAT,
       "signature line 2: 'entry' record needs a name"},
      {"kiln-abi 1\nentry a b\n", KILN_ERR_FORMAT, "unexpected field 'b'"},
      {"kiln-abi 1\nentry a\nentry a\n", KILN_ERR_FORMAT,
       "signature line 3: duplicate entry 'a'"},
      {"kiln-abi 1\ninput x f32 4\n", KILN_ERR_FORMAT,
       "signature line 2: 'input' record before any 'entry'"},
      {"kiln-abi 1\nentry a\nbogus x\n", KILN_ERR_FORMAT,
       "signature line 3: unknown record 'bogus'"},
      {"kiln-abi 1\nentry a\ninput x f32\n", KILN_ERR_FORMAT,
       "'input' record needs a name, a dtype and a shape"},
      {"kiln-abi 1\nentry a\noutput 0\n", KILN_ERR_FORMAT,
       "'output' record needs a name, a dtype and a shape"},
      {"kiln-abi 1\nentry a\ninput x f16 4\n", KILN_ERR_FORMAT,
       "input 'x': unknown dtype 'f16'"},
      {"kiln-abi 1\nentry a\ninput x f32 4xx4\n", KILN_ERR_FORMAT,
       "input 'x': invalid shape '4xx4'"},
      {"kiln-abi 1\nentry a\ninput x f32 -4\n", KILN_ERR_FORMAT,
       "invalid shape '-4'"},
      {"kiln-abi 1\nentry a\ninput x f32 1x2x3x4x5x6x7x8x9\n", KILN_ERR_FORMAT,
       "rank exceeds the maximum of 8"},
      {"kiln-abi 1\nentry a\ninput x f32 4 extra\n", KILN_ERR_FORMAT,
       "expected key=value, found 'extra'"},
      {"kiln-abi 1\nentry a\ninput x f32 4 =5\n", KILN_ERR_FORMAT,
       "expected key=value, found '=5'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 seed=1\n", KILN_ERR_FORMAT,
       "param 'w': missing init=KIND"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=glorot\n", KILN_ERR_FORMAT,
       "param 'w': unknown initializer 'glorot'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones seed=-1\n",
       KILN_ERR_FORMAT, "param 'w': invalid value '-1' for key 'seed'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones seed=18446744073709551616"
       "\n",
       KILN_ERR_FORMAT, "invalid value '18446744073709551616' for key 'seed'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones a=abc\n", KILN_ERR_FORMAT,
       "invalid value 'abc' for key 'a'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones b=nan\n", KILN_ERR_FORMAT,
       "invalid value 'nan' for key 'b'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones b=\n", KILN_ERR_FORMAT,
       "invalid value '' for key 'b'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones fan_in=1.5\n",
       KILN_ERR_FORMAT, "invalid value '1.5' for key 'fan_in'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones\nparam w f32 4 "
       "init=ones\n",
       KILN_ERR_FORMAT,
       "signature line 4: duplicate param name 'w' in entry "
       "'a'"},
      {"kiln-abi 1\nentry a\nparam w f32 4 init=ones\ninput w f32 4\n",
       KILN_ERR_FORMAT, "duplicate input name 'w'"},
      {"kiln-abi 1\nentry a\noutput 0 f32 4\noutput 0 f32 4\n", KILN_ERR_FORMAT,
       "duplicate output name '0'"},
  };
  for (const BadCase &c : cases) {
    SCOPED_TRACE(c.text);
    kiln_signature_t sig;
    char err[256] = "";
    EXPECT_EQ(kiln_signature_parse(c.text, &sig, err, sizeof(err)), c.status)
        << err;
    EXPECT_NE(std::string(err).find(c.message), std::string::npos) << err;
    EXPECT_EQ(sig.num_entries, 0u);
    EXPECT_EQ(sig.entries, nullptr);
  }
  kiln_signature_t sig;
  EXPECT_EQ(kiln_signature_parse(nullptr, &sig, nullptr, 0),
            KILN_ERR_INVALID_ARG);
}

TEST(SignatureTest, SameNamesInDifferentEntries) {
  const char *text = "kiln-abi 1\nentry a\ninput x f32 4\noutput 0 f32 4\n"
                     "entry b\ninput x f32 4\noutput 0 f32 4\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  EXPECT_EQ(sig.num_entries, 2u);
  kiln_signature_free(&sig);
}

TEST(SignatureTest, ManyArgumentsGrowArrays) {
  std::string text = "kiln-abi 1\nentry big\n";
  for (int i = 0; i < 300; ++i)
    text += "param p" + std::to_string(i) + " f32 " + std::to_string(i + 1) +
            " init=normal seed=" + std::to_string(i) + " a=0 b=1\n";
  for (int i = 0; i < 50; ++i)
    text += "input x" + std::to_string(i) + " i32 2x2\n";
  for (int e = 0; e < 20; ++e)
    text += "entry e" + std::to_string(e) + "\noutput 0 f32 scalar\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text.c_str(), &sig, err, sizeof(err)), KILN_OK)
      << err;
  ASSERT_EQ(sig.num_entries, 21u);
  ASSERT_EQ(sig.entries[0].num_params, 300u);
  EXPECT_EQ(sig.entries[0].params[299].shape[0], 300);
  EXPECT_EQ(sig.entries[0].params[299].seed, 299u);
  EXPECT_EQ(sig.entries[0].num_inputs, 50u);
  EXPECT_STREQ(sig.entries[20].name, "e19");
  kiln_signature_free(&sig);
}

void fnA(void **) {}
void fnB(void **) {}

TEST(SignatureTest, EntryTableLookup) {
  const kiln_entry_t table[] = {{"a", fnA}, {"b", fnB}, {nullptr, nullptr}};
  EXPECT_EQ(kiln_entry_table_find(table, "a"), &fnA);
  EXPECT_EQ(kiln_entry_table_find(table, "b"), &fnB);
  EXPECT_EQ(kiln_entry_table_find(table, "c"), nullptr);
  EXPECT_EQ(kiln_entry_table_find(nullptr, "a"), nullptr);
}

} // namespace

namespace {

/// The training-step extension, as the compiler emits it.
const char *const TrainExample =
    "kiln-abi 1\n"
    "entry model\n"
    "param fc1.w f32 784x512 init=he_uniform seed=1 a=0 b=0 fan_in=784 "
    "fan_out=512\n"
    "param fc1.b f32 512 init=zeros seed=2 a=0 b=0 fan_in=512 fan_out=512\n"
    "input x f32 128x784\n"
    "input y i64 128\n"
    "output 0 f32 scalar\n"
    "output 1 f32 128x10\n"
    "entry model_train_step train=model\n"
    "param fc1.w f32 784x512 init=he_uniform seed=1 a=0 b=0 fan_in=784 "
    "fan_out=512 inout=1\n"
    "param fc1.b f32 512 init=zeros seed=2 a=0 b=0 fan_in=512 fan_out=512 "
    "inout=1\n"
    "state fc1.w.exp_avg f32 784x512 of=fc1.w\n"
    "state fc1.w.exp_avg_sq f32 784x512 of=fc1.w\n"
    "state fc1.b.exp_avg f32 512 of=fc1.b\n"
    "state fc1.b.exp_avg_sq f32 512 of=fc1.b future=1\n"
    "input step i64 scalar role=step\n"
    "input x f32 128x784\n"
    "input y i64 128\n"
    "output 0 f32 scalar\n"
    "output 1 f32 128x10\n";

TEST(SignatureTrainTest, ParsesTrainingStep) {
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(TrainExample, &sig, err, sizeof(err)), KILN_OK)
      << err;
  ASSERT_EQ(sig.num_entries, 2u);
  const kiln_sig_entry_t &eval = sig.entries[0];
  EXPECT_EQ(eval.train_of, nullptr);
  EXPECT_EQ(eval.num_states, 0u);
  EXPECT_EQ(eval.states, nullptr);
  EXPECT_EQ(eval.params[0].inout, 0);
  EXPECT_EQ(eval.inputs[0].is_step, 0);

  const kiln_sig_entry_t &t = sig.entries[1];
  EXPECT_STREQ(t.name, "model_train_step");
  EXPECT_STREQ(t.train_of, "model");
  EXPECT_EQ(kiln_signature_find_train_entry(&sig), &sig.entries[1]);
  ASSERT_EQ(t.num_params, 2u);
  EXPECT_EQ(t.params[0].inout, 1);
  EXPECT_EQ(t.params[1].inout, 1);
  EXPECT_EQ(t.params[0].init, KILN_INIT_HE_UNIFORM);
  ASSERT_EQ(t.num_states, 4u);
  const char *names[] = {"fc1.w.exp_avg", "fc1.w.exp_avg_sq", "fc1.b.exp_avg",
                         "fc1.b.exp_avg_sq"};
  const char *of[] = {"fc1.w", "fc1.w", "fc1.b", "fc1.b"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(t.states[i].kind, KILN_ARG_STATE);
    EXPECT_STREQ(t.states[i].name, names[i]);
    EXPECT_STREQ(t.states[i].of, of[i]);
    EXPECT_EQ(t.states[i].inout, 1) << "states are always in place";
    EXPECT_EQ(t.states[i].dtype, KILN_F32);
  }
  EXPECT_EQ(t.states[0].rank, 2);
  EXPECT_EQ(t.states[0].shape[1], 512);
  EXPECT_EQ(t.states[3].rank, 1);
  ASSERT_EQ(t.num_inputs, 3u);
  EXPECT_STREQ(t.inputs[0].name, "step");
  EXPECT_EQ(t.inputs[0].is_step, 1);
  EXPECT_EQ(t.inputs[0].rank, 0);
  EXPECT_EQ(t.inputs[1].is_step, 0);
  EXPECT_EQ(t.inputs[2].is_step, 0);
  EXPECT_EQ(t.num_outputs, 2u);
  EXPECT_STREQ(kiln_arg_kind_name(KILN_ARG_STATE), "state");
  kiln_signature_free(&sig);
  EXPECT_EQ(sig.entries, nullptr);
}

TEST(SignatureTrainTest, TrainTargetMayFollowAndStatesNeedNoOf) {
  // train= may name an entry defined later; of= is optional; an entry with
  // train= may have no step input and no states.
  const char *text = "kiln-abi 1\n"
                     "entry t train=e\n"
                     "param w f32 2 init=ones\n"
                     "state m f32 2\n"
                     "input x f32 2\n"
                     "output 0 f32 scalar\n"
                     "entry e\n"
                     "param w f32 2 init=ones\n"
                     "input x f32 2\n"
                     "output 0 f32 scalar\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  EXPECT_STREQ(sig.entries[0].train_of, "e");
  EXPECT_EQ(sig.entries[0].states[0].of, nullptr);
  EXPECT_EQ(sig.entries[0].params[0].inout, 0);
  EXPECT_EQ(kiln_signature_find_train_entry(&sig), &sig.entries[0]);
  kiln_signature_free(&sig);

  ASSERT_EQ(kiln_signature_parse(Example, &sig, err, sizeof(err)), KILN_OK);
  EXPECT_EQ(kiln_signature_find_train_entry(&sig), nullptr);
  kiln_signature_free(&sig);
  EXPECT_EQ(kiln_signature_find_train_entry(nullptr), nullptr);
}

TEST(SignatureTrainTest, MalformedTrainingRecords) {
  const std::string head = "kiln-abi 1\nentry e\nparam w f32 2 init=ones\n"
                           "entry t train=e\nparam w f32 2 init=ones\n";
  struct TrainBadCase {
    std::string text;
    kiln_status_t status;
    const char *message;
  };
  const TrainBadCase cases[] = {
      {"kiln-abi 1\nentry e\nentry t train=nope\n", KILN_ERR_FORMAT,
       "signature line 3: entry 't': train=nope is not an entry of the "
       "module"},
      {"kiln-abi 1\nentry t train=t\n", KILN_ERR_FORMAT,
       "signature line 2: entry 't': train=t names the entry itself"},
      {"kiln-abi 1\nentry t train=\n", KILN_ERR_FORMAT,
       "entry 't': train= needs the name of an entry"},
      {"kiln-abi 1\nentry e\nentry a train=e\nentry b train=a\n",
       KILN_ERR_FORMAT,
       "signature line 4: entry 'b': train=a names another training step"},
      {"kiln-abi 1\nstate m f32 2\n", KILN_ERR_FORMAT,
       "signature line 2: 'state' record before any 'entry'"},
      {"kiln-abi 1\nentry t\nstate m f32\n", KILN_ERR_FORMAT,
       "'state' record needs a name, a dtype and a shape"},
      {"kiln-abi 1\nentry t\nstate m f16 2\n", KILN_ERR_FORMAT,
       "state 'm': unknown dtype 'f16'"},
      {head + "state m f32 2 of=v\n", KILN_ERR_FORMAT,
       "signature line 6: state 'm': of=v is not a param of entry 't'"},
      {head + "state m f32 2 of=\n", KILN_ERR_FORMAT,
       "state 'm': invalid value '' for key 'of'"},
      {head + "state m f32 2 inout=0\n", KILN_ERR_FORMAT,
       "state 'm': invalid value '0' for key 'inout'"},
      {head + "state w f32 2\n", KILN_ERR_FORMAT,
       "duplicate state name 'w' in entry 't'"},
      {head + "state m f32 2\ninput m f32 2\n", KILN_ERR_FORMAT,
       "duplicate input name 'm' in entry 't'"},
      {head + "state m f32 2\nstate m f32 2\n", KILN_ERR_FORMAT,
       "duplicate state name 'm'"},
      {"kiln-abi 1\nentry t\nparam w f32 2 init=ones inout=2\n",
       KILN_ERR_FORMAT, "param 'w': invalid value '2' for key 'inout'"},
      {"kiln-abi 1\nentry t\nparam w f32 2 init=ones inout=\n", KILN_ERR_FORMAT,
       "param 'w': invalid value '' for key 'inout'"},
      {"kiln-abi 1\nentry t\ninput s i64 scalar role=counter\n",
       KILN_ERR_FORMAT, "input 's': unknown role 'counter'"},
      {"kiln-abi 1\nentry t\ninput s i32 scalar role=step\n", KILN_ERR_FORMAT,
       "input 's': role=step needs an i64 scalar, got scalar i32"},
      {"kiln-abi 1\nentry t\ninput s i64 1 role=step\n", KILN_ERR_FORMAT,
       "input 's': role=step needs an i64 scalar, got 1 i64"},
      {"kiln-abi 1\nentry t\ninput s i64 scalar role=step\n"
       "input u i64 scalar role=step\n",
       KILN_ERR_FORMAT,
       "signature line 4: input 'u': entry 't' already has a role=step input "
       "'s'"},
  };
  for (const TrainBadCase &c : cases) {
    SCOPED_TRACE(c.text);
    kiln_signature_t sig;
    char err[256] = "";
    EXPECT_EQ(kiln_signature_parse(c.text.c_str(), &sig, err, sizeof(err)),
              c.status)
        << err;
    EXPECT_NE(std::string(err).find(c.message), std::string::npos) << err;
    EXPECT_EQ(sig.num_entries, 0u);
    EXPECT_EQ(sig.entries, nullptr);
  }
}

TEST(SignatureTrainTest, KeysOfOtherKindsAreIgnored) {
  // Forward compatibility: role= on a param, of= on an input, inout= on an
  // output, train= is only meaningful on entries.
  const char *text = "kiln-abi 1\n"
                     "entry e\n"
                     "param w f32 2 init=ones role=step of=x\n"
                     "input x f32 2 inout=7 of=w\n"
                     "output 0 f32 2 role=step train=e\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK) << err;
  const kiln_sig_entry_t &e = sig.entries[0];
  EXPECT_EQ(e.params[0].is_step, 0);
  EXPECT_EQ(e.inputs[0].inout, 0);
  EXPECT_EQ(e.inputs[0].of, nullptr);
  EXPECT_EQ(e.outputs[0].is_step, 0);
  EXPECT_EQ(e.train_of, nullptr);
  kiln_signature_free(&sig);
}

/// Several training steps of one entry are its phases; named outputs,
/// image outputs and buffers.
TEST(SignaturePhasesTest, ParsesPhasesNamesImagesBuffers) {
  const char *text = "kiln-abi 1\n"
                     "entry gan\n"
                     "param d.w f32 16 init=ones\n"
                     "param bn.mean f32 16 init=zeros buffer=1\n"
                     "input x f32 8x784\n"
                     "output 0 f32 scalar name=loss\n"
                     "output 1 f32 scalar name=d_real\n"
                     "output 2 f32 8x784 image=samples name=fake\n"
                     "output 3 f32 8x1x28x28 image=other\n"
                     "output 4 f32 2x3x5 image=small\n"
                     "entry gan_d train=gan phase=discriminator\n"
                     "param d.w f32 16 init=ones inout=1\n"
                     "param bn.mean f32 16 init=zeros buffer=1 inout=1\n"
                     "input x f32 8x784\n"
                     "output 0 f32 scalar\n"
                     "entry plain\n"
                     "entry gan_g train=gan phase=generator future=1\n"
                     "param d.w f32 16 init=ones\n"
                     "param bn.mean f32 16 init=zeros buffer=0\n"
                     "input x f32 8x784\n"
                     "output 0 f32 scalar\n";
  kiln_signature_t sig;
  char err[256] = "";
  ASSERT_EQ(kiln_signature_parse(text, &sig, err, sizeof(err)), KILN_OK)
      << err;
  const kiln_sig_entry_t &e = sig.entries[0];
  EXPECT_EQ(e.phase, nullptr);
  EXPECT_EQ(e.params[0].is_buffer, 0);
  EXPECT_EQ(e.params[1].is_buffer, 1);
  EXPECT_EQ(e.params[1].inout, 0);
  EXPECT_STREQ(e.outputs[0].out_name, "loss");
  EXPECT_STREQ(e.outputs[1].out_name, "d_real");
  EXPECT_EQ(e.outputs[1].image, nullptr);
  EXPECT_STREQ(e.outputs[2].image, "samples");
  EXPECT_STREQ(e.outputs[2].out_name, "fake");
  EXPECT_STREQ(e.outputs[3].image, "other");
  EXPECT_EQ(e.outputs[3].out_name, nullptr);
  EXPECT_STREQ(sig.entries[1].phase, "discriminator");
  EXPECT_EQ(sig.entries[1].params[1].is_buffer, 1);
  EXPECT_EQ(sig.entries[1].params[1].inout, 1);
  EXPECT_STREQ(sig.entries[3].phase, "generator");
  EXPECT_EQ(sig.entries[3].params[1].is_buffer, 0);
  EXPECT_EQ(sig.entries[2].phase, nullptr);
  const kiln_sig_entry_t *phases[3] = {nullptr, nullptr, nullptr};
  EXPECT_EQ(kiln_signature_phases(&sig, "gan", phases, 3), 2u);
  EXPECT_EQ(phases[0], &sig.entries[1]);
  EXPECT_EQ(phases[1], &sig.entries[3]);
  EXPECT_EQ(phases[2], nullptr);
  EXPECT_EQ(kiln_signature_phases(&sig, "gan", phases, 1), 2u);
  EXPECT_EQ(kiln_signature_phases(&sig, "gan", nullptr, 0), 2u);
  EXPECT_EQ(kiln_signature_phases(&sig, "plain", phases, 3), 0u);
  EXPECT_EQ(kiln_signature_phases(&sig, nullptr, phases, 3), 0u);
  EXPECT_EQ(kiln_signature_find_train_entry(&sig), &sig.entries[1]);
  kiln_signature_free(&sig);

  // One training step may have a phase name too; old signatures have none.
  const char *one = "kiln-abi 1\nentry e\nentry t train=e phase=only\n";
  ASSERT_EQ(kiln_signature_parse(one, &sig, err, sizeof(err)), KILN_OK) << err;
  EXPECT_STREQ(sig.entries[1].phase, "only");
  kiln_signature_free(&sig);
  ASSERT_EQ(kiln_signature_parse(TrainExample, &sig, err, sizeof(err)),
            KILN_OK);
  EXPECT_EQ(sig.entries[1].phase, nullptr);
  EXPECT_EQ(sig.entries[1].params[0].is_buffer, 0);
  EXPECT_EQ(sig.entries[1].outputs[0].out_name, nullptr);
  kiln_signature_free(&sig);
}

TEST(SignaturePhasesTest, MalformedRecords) {
  struct BadCase {
    std::string text;
    const char *message;
  };
  const std::string e = "kiln-abi 1\nentry e\n";
  const BadCase cases[] = {
      {e + "entry a train=e phase=p\nentry b train=e phase=p\n",
       "signature line 4: entry 'b': phase=p is already the name of entry "
       "'a', a phase of the same training step (train=e)"},
      {e + "entry a train=e phase=p\nentry b train=e\n",
       "signature line 4: entry 'b': entry 'a' also has train=e; the "
       "training steps of one entry are its phases, and each needs "
       "phase=NAME"},
      {e + "entry a train=e\nentry b train=e phase=q\n",
       "signature line 3: entry 'a': entry 'b' also has train=e; the "
       "training steps of one entry are its phases, and each needs "
       "phase=NAME"},
      {e + "entry a phase=p\n",
       "signature line 3: entry 'a': phase=p needs train=EVAL (only training "
       "steps have phases)"},
      {e + "entry a train=e phase=\n",
       "signature line 3: entry 'a': phase= needs the name of a phase"},
      {e + "entry a workspace=\n",
       "signature line 3: entry 'a': workspace= is not a number of bytes"},
      {e + "entry a workspace=-8\n",
       "signature line 3: entry 'a': workspace=-8 is not a number of bytes"},
      {e + "entry a workspace=12k\n",
       "signature line 3: entry 'a': workspace=12k is not a number of bytes"},
      {e + "entry a workspace=99999999999999999999\n",
       "signature line 3: entry 'a': workspace=99999999999999999999 is not a "
       "number of bytes"},
      {e + "param w f32 2 init=ones buffer=yes\n",
       "signature line 3: param 'w': invalid value 'yes' for key 'buffer'"},
      {e + "output 0 f32 scalar name=\n",
       "signature line 3: output '0': invalid value '' for key 'name'"},
      {e + "output 0 f32 4x4 image=\n",
       "signature line 3: output '0': invalid value '' for key 'image'"},
      {e + "output 0 f32 4x4 image=../x\n",
       "signature line 3: output '0': image=../x cannot be used as a file "
       "name (it contains '/')"},
      {e + "output 0 f32 scalar name=m\noutput 1 f32 scalar name=m\n",
       "signature line 4: output '1': name=m is already the name of output "
       "'0' of entry 'e'"},
      {e + "output 0 f32 2x4 image=m\noutput 1 f32 2x4 image=m\n",
       "signature line 4: output '1': image=m is already the image of output "
       "'0' of entry 'e'"},
      {e + "output 0 f32 2x5 image=m\n",
       "signature line 3: output '0': image=m needs an f32 output of shape "
       "NxHxW, Nx1xHxW or NxP with P a perfect square; got 2x5 f32"},
      {e + "output 0 f64 2x4 image=m\n", "got 2x4 f64"},
      {e + "output 0 f32 4 image=m\n", "got 4 f32"},
      {e + "output 0 f32 scalar image=m\n", "got scalar f32"},
      {e + "output 0 f32 0x4 image=m\n", "got 0x4 f32"},
      {e + "output 0 f32 2x2x3x3 image=m\n", "got 2x2x3x3 f32"},
      {e + "output 0 f32 2x1x3x3x1 image=m\n", "got 2x1x3x3x1 f32"},
  };
  for (const BadCase &c : cases) {
    SCOPED_TRACE(c.text);
    kiln_signature_t sig;
    char err[512] = "";
    EXPECT_EQ(kiln_signature_parse(c.text.c_str(), &sig, err, sizeof(err)),
              KILN_ERR_FORMAT)
        << err;
    EXPECT_NE(std::string(err).find(c.message), std::string::npos) << err;
    EXPECT_EQ(sig.entries, nullptr);
  }
}

} // namespace
