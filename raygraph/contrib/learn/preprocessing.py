"""`tf.contrib.learn.preprocessing`: TF 1.x's text-to-id utilities (text classifiers build their inputs with
`VocabularyProcessor`), with TF 1.15's behaviour: the same tokens, ids in order of first appearance (or, after
trimming rare words, by falling frequency, ties in sort order), id 0 for unknown words and padding, documents cut
or zero-padded to `max_document_length`, and save/restore as a pickle of the processor."""
import itertools
import pickle
import re

import numpy as np

# Runs of capitals not followed by a lowercase letter, a capitalized word that runs into another capital, or
# any run of word characters, apostrophes and hyphens.
TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)


def tokenizer(iterator):
    """Yields each document's tokens."""
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class CategoricalVocabulary:
    """Categories -> ids (0 is the unknown token), counting how often each was added; frozen, new categories
    get 0."""

    def __init__(self, unknown_token="<UNK>", support_reverse=True):
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        if support_reverse:
            self._reverse_mapping = [unknown_token]
        self._freq = {}
        self._freeze = False

    def __len__(self):
        return len(self._mapping)

    def freeze(self, freeze=True):
        self._freeze = freeze

    def get(self, category):
        """The category's id, a new one for a new category unless frozen (then 0)."""
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count=1):
        if self.get(category) > 0:
            self._freq[category] = self._freq.get(category, 0) + count

    def trim(self, min_frequency, max_frequency=-1):
        """Keeps the categories seen more than `min_frequency` times (and, with `max_frequency` > 0, fewer than
        it), renumbered 1.. by falling frequency, equal frequencies in sort order."""
        ranked = sorted(sorted(self._freq.items(), key=lambda kv: (isinstance(kv[0], str), kv[0])),
                        key=lambda kv: kv[1], reverse=True)
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        for category, count in ranked:
            if max_frequency > 0 and count >= max_frequency:
                continue
            if count <= min_frequency:
                break
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        self._freq = dict(ranked[:len(self._mapping) - 1])   # (TF's: the first n of the ranking, skipped ones too)

    def reverse(self, class_id):
        if not self._support_reverse:
            raise ValueError("This vocabulary wasn't initalized with support_reverse to support reverse() function.")
        return self._reverse_mapping[class_id]


class ByteProcessor:
    """Documents as their UTF-8 bytes, cut or zero-padded to `max_document_length`."""

    def __init__(self, max_document_length):
        self.max_document_length = max_document_length

    def fit(self, x):
        """Nothing to learn."""

    def fit_transform(self, x):
        return self.transform(x)

    def transform(self, x):
        for document in x:
            data = document.encode("utf-8") if isinstance(document, str) else bytes(document)
            ids = np.frombuffer(data[:self.max_document_length], dtype=np.uint8)
            yield np.pad(ids, (0, self.max_document_length - len(ids)), "constant")

    def reverse(self, x):
        for data in x:
            text = np.trim_zeros(np.asarray(data).astype(np.int8), trim="b").tobytes()
            try:
                yield text.decode("utf-8")
            except UnicodeDecodeError:
                yield ""


class VocabularyProcessor:
    """Documents -> rows of `max_document_length` word ids (see the module docstring)."""

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None, tokenizer_fn=None):
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary if vocabulary else CategoricalVocabulary()
        self._tokenizer = tokenizer_fn if tokenizer_fn else tokenizer

    def fit(self, raw_documents, unused_y=None):
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """Yields each document's int64 row of ids."""
        for tokens in self._tokenizer(raw_documents):
            ids = np.zeros(self.max_document_length, np.int64)
            for i, token in enumerate(itertools.islice(tokens, self.max_document_length)):
                ids[i] = self.vocabulary_.get(token)
            yield ids

    def reverse(self, documents):
        for item in documents:
            yield " ".join(self.vocabulary_.reverse(class_id) for class_id in item)

    def save(self, filename):
        with open(filename, "wb") as f:
            f.write(pickle.dumps(self))

    @classmethod
    def restore(cls, filename):
        with open(filename, "rb") as f:
            return pickle.loads(f.read())   # the file this class saved, as TF1 did
