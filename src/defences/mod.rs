//! Defences: adversarial training (ART's AdversarialTrainer, Madry PGD, fast FGSM) and robustness sweeps.
