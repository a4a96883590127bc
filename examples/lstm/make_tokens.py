#!/usr/bin/python3
# make_tokens.py - builds the English/German word data of the LSTM example.
# SPDX-License-Identifier: MIT
#
# Reads the word lists of Debian's wamerican (/usr/share/dict/american-english)
# and wngerman (/usr/share/dict/ngerman) packages and writes train.tokens and
# valid.tokens: one word per line, "label<TAB>ids", label 0 English and 1
# German, each letter a..z as the id 1..26 and 0 as padding, padded with
# leading zeros to the model's input length. Only words of plain letters a..z
# are used, lowercased, and none found in both lists. Every German word has
# the length of an English one drawn before it, so word length says nothing
# about the language. The output depends only on the lists and the seed.
import argparse
import os
import random
import re
import sys

ALPHABET = "abcdefghijklmnopqrstuvwxyz"
PLAIN = re.compile("[a-z]+")


def read_words(path, allow_capitals):
    """Lowercased words of plain letters; capitalized ones only if allowed."""
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            word = line.strip()
            if not allow_capitals and word[:1].isupper():
                continue
            word = word.lower()
            if PLAIN.fullmatch(word):
                words.add(word)
    return words


def length_matched_sample(english, german, count, min_len, max_len, rng):
    """count English words and, for each, a German word of the same length."""
    english = sorted(w for w in english if min_len <= len(w) <= max_len)
    by_length = {}
    for word in sorted(german):
        by_length.setdefault(len(word), []).append(word)
    for words in by_length.values():
        rng.shuffle(words)
    rng.shuffle(english)

    pairs = []
    for word in english:
        if len(pairs) == count:
            break
        pool = by_length.get(len(word), [])
        if pool:
            pairs.append((word, pool.pop()))
    if len(pairs) < count:
        sys.exit(f"error: only {len(pairs)} length-matched pairs, need {count}")
    return pairs


def encode(word, length):
    ids = [ALPHABET.index(c) + 1 for c in word][-length:]
    return [0] * (length - len(ids)) + ids


def write_tokens(path, examples, length):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        for label, word in examples:
            ids = " ".join(str(i) for i in encode(word, length))
            f.write(f"{label}\t{ids}\n")


def main():
    ap = argparse.ArgumentParser(description="English/German word data for lstm.model")
    ap.add_argument("--english", default="/usr/share/dict/american-english")
    ap.add_argument("--german", default="/usr/share/dict/ngerman")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--train", type=int, default=4000, help="training words")
    ap.add_argument("--valid", type=int, default=1000, help="validation words")
    ap.add_argument("--length", type=int, default=12, help="model input length")
    ap.add_argument("--min-length", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.train % 2 or args.valid % 2:
        sys.exit("error: --train and --valid must be even (balanced classes)")

    # Proper names of the English list are skipped; German nouns are
    # capitalized, so the German list is taken whole and lowercased.
    english = read_words(args.english, allow_capitals=False)
    german = read_words(args.german, allow_capitals=True)
    shared = english & german
    rng = random.Random(args.seed)
    pairs = length_matched_sample(english - shared, german - shared,
                                  (args.train + args.valid) // 2,
                                  args.min_length, args.length, rng)

    # Each split keeps whole pairs, so both are balanced and length-matched.
    half = args.train // 2
    splits = {"train.tokens": pairs[:half], "valid.tokens": pairs[half:]}
    for name, split in splits.items():
        examples = [(0, en) for en, _ in split] + [(1, de) for _, de in split]
        rng.shuffle(examples)
        write_tokens(os.path.join(args.out, name), examples, args.length)
        print(f"{name}: {len(examples)} words")


if __name__ == "__main__":
    main()
