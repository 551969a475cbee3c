"""StanceClassifier keeps the scikit-learn contract and leaves the caller's global state alone."""

from __future__ import annotations

import logging
import random

import numpy as np
import pytest
import torch

from stance.classifier import StanceClassifier, TrainingArguments

from synthetic import synthetic_claims


def test_clone_get_params_set_params():
    from sklearn.base import clone

    args = TrainingArguments(method="fewshot", seed=3)
    model = StanceClassifier(args=args)
    assert model.get_params() == {"dispute": None, "args": args}
    assert model.get_params()["args"] is args  # stored as given, unchanged
    copy = clone(model)
    assert isinstance(copy, StanceClassifier) and copy.args == args and copy.args is not args
    assert copy.set_params(args=TrainingArguments(seed=9)).args.seed == 9
    assert clone(StanceClassifier()).get_params() == {"dispute": None, "args": None}


def test_an_unfitted_model_says_so():
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    model = StanceClassifier()
    with pytest.raises(NotFittedError):
        check_is_fitted(model)
    with pytest.raises(RuntimeError, match="not trained"):
        model.predict(synthetic_claims(1))


def test_fit_leaves_global_random_state_threads_and_logging_alone(tiny_encoder, dispute):
    from sklearn.utils.validation import check_is_fitted
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_info()  # the user's own choice
    threads = torch.get_num_threads()
    random.seed(1), np.random.seed(1), torch.manual_seed(1)
    before = (random.getstate(), np.random.get_state()[1].copy(), torch.get_rng_state().clone())
    args = TrainingArguments(base_model=tiny_encoder, method="finetune", epochs=1, batch_size=8, max_length=48)
    model = StanceClassifier(dispute, args).fit(synthetic_claims(4), progress=False, log=lambda m: None)
    check_is_fitted(model)
    assert random.getstate() == before[0]
    assert np.array_equal(np.random.get_state()[1], before[1])
    assert torch.equal(torch.get_rng_state(), before[2])
    assert torch.get_num_threads() == threads
    assert hf_logging.get_verbosity() == logging.INFO
    fitted = [name for name in vars(model) if name not in model.get_params()]
    assert fitted and all(name.endswith("_") for name in fitted)
    predicted = model.predict(synthetic_claims(1))
    assert set(predicted["stance"]) <= set(model.labels["stance"])
    hf_logging.set_verbosity_warning()


def test_quiet_transformers_is_scoped():
    from transformers.utils import logging as hf_logging

    from stance.modeling.encoders import quiet_transformers

    hf_logging.set_verbosity_info()
    hf_logging.enable_progress_bar()
    with quiet_transformers():
        assert hf_logging.get_verbosity() == logging.ERROR and not hf_logging.is_progress_bar_enabled()
    assert hf_logging.get_verbosity() == logging.INFO and hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_warning()
