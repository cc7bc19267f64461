//! The label, the targeting mode and the help (English and Korean) of every attack and defence
//! in the catalog's menus.

use crate::params::Help;

/// `(label, targeted, help)` of the attack or defence called `name` (see [`super::Method`]).
pub(super) fn method_help(name: &str) -> (&'static str, &'static str, Help) {
    match name {
        "fgsm" => ("FGSM (FastGradientMethod)", "optional", Help {
            en: "One step of size eps along the sign of the loss gradient (L-inf), or along the gradient normalised in L1/L2. minimal searches the smallest eps in steps of eps_step.",
            ko: "손실 그래디언트의 부호 방향(L-inf), 또는 L1/L2로 정규화한 그래디언트 방향으로 eps만큼 한 번 움직입니다. minimal은 eps_step 간격으로 가장 작은 eps를 찾습니다.",
        }),
        "pgd" => ("PGD (ProjectedGradientDescent)", "optional", Help {
            en: "max_iter FGSM steps of eps_step, each followed by a projection back into the eps-ball around the input; num_random_init random starts.",
            ko: "eps_step 크기의 FGSM 걸음을 max_iter번 반복하고, 걸음마다 입력 주변의 eps 공 안으로 다시 투영합니다. num_random_init은 무작위 시작점 수입니다.",
        }),
        "jsma" => ("JSMA (SaliencyMapMethod)", "always", Help {
            en: "Always targeted: each step changes the two pixels/features that most raise the target class by theta (its sign says brighter or darker), until the target is reached or gamma of the features are used.",
            ko: "언제나 목표 공격입니다. 걸음마다 목표 클래스를 가장 크게 올리는 두 픽셀(특성)을 theta만큼 바꾸며(부호가 밝게/어둡게를 정함), 목표에 닿거나 특성의 gamma 비율을 다 쓰면 멈춥니다.",
        }),
        "deepfool" => ("DeepFool", "never", Help {
            en: "Linearises the model and steps to the nearest decision boundary, up to max_iter times, then overshoots by epsilon.",
            ko: "모델을 선형으로 근사해 가장 가까운 결정 경계로 걸음을 옮기기를 최대 max_iter번 하고, 끝에 epsilon만큼 더 넘어갑니다.",
        }),
        "newtonfool" => ("NewtonFool", "never", Help {
            en: "Newton steps that lower the score of the predicted class; eta controls the step.",
            ko: "예측 클래스의 점수를 낮추는 뉴턴 걸음을 반복합니다. eta가 걸음 크기를 정합니다.",
        }),
        "cw-l2" => ("C&W L2 (CarliniL2Method)", "optional", Help {
            en: "Carlini & Wagner: searches, per sample, the smallest L2 perturbation that makes another class's logit lead by confidence, optimising in tanh space with a binary search on the constant c. Slow, but finds small perturbations; it has no eps budget.",
            ko: "Carlini & Wagner: 샘플마다 다른 클래스의 로짓이 confidence만큼 앞서게 하는 가장 작은 L2 섭동을 찾습니다. tanh 공간에서 최적화하며 상수 c를 이진 탐색합니다. 느리지만 작은 섭동을 찾으며, eps 예산은 없습니다.",
        }),
        "apgd" => ("APGD (AutoProjectedGradientDescent)", "optional", Help {
            en: "PGD that tunes its own step size: it moves with momentum, and at fixed checkpoints where progress stalled it halves the step and returns to its best point. Loss: cross-entropy or DLR. The standard strong white-box attack.",
            ko: "걸음 크기를 스스로 조절하는 PGD: 모멘텀으로 움직이고, 정해진 체크포인트에서 진전이 멈췄으면 걸음을 절반으로 줄여 가장 좋았던 점으로 돌아갑니다. 손실은 크로스 엔트로피 또는 DLR입니다. 표준적인 강한 화이트박스 공격입니다.",
        }),
        "autoattack" => ("AutoAttack", "never", Help {
            en: "The robustness evaluation papers report: APGD-CE, APGD-DLR, DeepFool and Square in turn, each on the samples the previous ones did not fool, within the eps budget. It says which attack fooled each sample; the accuracy left is the robust accuracy. Heavy.",
            ko: "논문이 보고하는 강건성 평가: APGD-CE, APGD-DLR, DeepFool, Square를 차례로 실행하며, 각 공격은 앞의 공격들이 속이지 못한 샘플만 eps 예산 안에서 공격합니다. 샘플마다 어느 공격이 속였는지 알려 주며, 남은 정확도가 강건 정확도입니다. 무겁습니다.",
        }),
        "square" => ("Square (SquareAttack)", "never", Help {
            en: "Black-box: uses only the model's scores, never its gradients. It tries random squares (±eps for L-inf, moved L2 mass for L2) and keeps those that lower the margin; the squares shrink over time. Counts its queries.",
            ko: "블랙박스 공격: 그래디언트는 쓰지 않고 모델의 점수만 씁니다. 무작위 정사각형(L-inf는 ±eps, L2는 옮겨 온 L2 질량)을 시도해 마진을 낮추는 것만 남기며, 정사각형은 점점 작아집니다. 조회 횟수를 셉니다.",
        }),
        "hopskipjump" => ("HopSkipJump", "optional", Help {
            en: "Black-box: uses only the predicted label. It starts from a random image the model misclassifies and walks along the decision boundary towards the input, estimating the boundary's gradient from the labels of random probes. It makes the perturbation small; counts its queries.",
            ko: "블랙박스 공격: 예측 레이블만 씁니다. 모델이 잘못 분류하는 무작위 이미지에서 시작해, 무작위 탐침들의 레이블로 결정 경계의 그래디언트를 추정하며 경계를 따라 입력 쪽으로 다가갑니다. 섭동을 작게 만들며, 조회 횟수를 셉니다.",
        }),
        "adv-trainer" => ("AdversarialTrainer (ART)", "never", Help {
            en: "ART's AdversarialTrainer: in every batch, ceil(ratio B) random samples are replaced by adversarial examples (FGSM by default) crafted on the model being trained (the report's defence).",
            ko: "ART의 AdversarialTrainer: 배치마다 무작위로 고른 ceil(ratio B)개 샘플을, 학습 중인 모델로 만든 적대적 예제(기본은 FGSM)로 바꿉니다(보고서의 방어).",
        }),
        "fast-fgsm" => ("AdversarialTrainerFBF (Wong 2020)", "never", Help {
            en: "Fast FGSM: every sample starts at a random point of the eps-ball and takes one FGSM step of 1.25 eps (Wong, Rice, Kolter 2020). Cheap and strong.",
            ko: "Fast FGSM: 모든 샘플이 eps 공 안의 무작위 점에서 시작해 1.25 eps 크기의 FGSM 걸음을 한 번 내딛습니다(Wong, Rice, Kolter 2020). 가볍고 강력합니다.",
        }),
        "madry-pgd" => ("AdversarialTrainerMadryPGD", "never", Help {
            en: "ART's AdversarialTrainerMadryPGD: every sample is replaced by a PGD example (random start, max_iter steps of eps_step). ART's defaults (eps 8, eps_step 2) are for 0-255 pixels; here data lies in [0, 1]. 7 steps of eps/4 keep it browser-sized.",
            ko: "ART의 AdversarialTrainerMadryPGD: 모든 샘플을 PGD 예제(무작위 시작, eps_step 크기로 max_iter걸음)로 바꿉니다. ART 기본값(eps 8, eps_step 2)은 0-255 픽셀용이고 여기 데이터는 [0, 1] 범위입니다. eps/4 크기로 7걸음이면 브라우저에서도 감당할 만합니다.",
        }),
        "feature-squeezing" => ("FeatureSqueezing", "never", Help {
            en: "Pre-processor (Xu et al. 2018): rounds every feature to bit_depth bits. Not differentiable: a naive gradient attack sees a zero gradient and looks defeated, BPDA (identity backward) walks straight through it.",
            ko: "전처리(Xu 외 2018): 모든 특성을 bit_depth 비트로 반올림합니다. 미분할 수 없어 단순한 그래디언트 공격은 0 그래디언트를 보고 막힌 것처럼 보이지만, BPDA(역전파를 항등으로)는 그대로 통과합니다.",
        }),
        "spatial-smoothing" => ("SpatialSmoothing", "never", Help {
            en: "Pre-processor (Xu et al. 2018): a window_size median filter on every channel of the image. Treated as non-differentiable (BPDA passes the gradient through); images only.",
            ko: "전처리(Xu 외 2018): 이미지의 채널마다 window_size 크기의 중앙값 필터를 씌웁니다. 미분할 수 없는 것으로 다루며(BPDA가 그래디언트를 통과시킴), 이미지에만 씁니다.",
        }),
        "gaussian-augmentation" => ("GaussianAugmentation", "never", Help {
            en: "Pre-processor: adds Gaussian noise of standard deviation sigma to every input at prediction time. Randomised: an attacker averages the gradient over several draws (EOT).",
            ko: "전처리: 예측할 때마다 입력에 표준편차 sigma의 가우시안 잡음을 더합니다. 무작위이므로 공격자는 여러 번 뽑은 그래디언트의 평균을 씁니다(EOT).",
        }),
        "high-confidence" => ("HighConfidence", "never", Help {
            en: "Post-processor: scores below cutoff are reported as 0. The predicted class never changes.",
            ko: "후처리: cutoff보다 낮은 점수는 0으로 알립니다. 예측 클래스는 바뀌지 않습니다.",
        }),
        "gaussian-noise" => ("GaussianNoise", "never", Help {
            en: "Post-processor: adds Gaussian noise of standard deviation scale to the scores and renormalises them. Randomised.",
            ko: "후처리: 점수에 표준편차 scale의 가우시안 잡음을 더하고 다시 정규화합니다. 무작위입니다.",
        }),
        "reverse-sigmoid" => ("ReverseSigmoid", "never", Help {
            en: "Post-processor (Lee et al. 2018): perturbs the scores so that their gradient points the wrong way while the ranking stays. It misleads naive gradients; gradients taken before it (BPDA mode) are not fooled.",
            ko: "후처리(Lee 외 2018): 순위는 그대로 두고 그래디언트가 엉뚱한 방향을 가리키도록 점수를 흔듭니다. 단순한 그래디언트는 속지만 그 앞에서 잰 그래디언트(BPDA 모드)는 속지 않습니다.",
        }),
        "rounded" => ("Rounded", "never", Help {
            en: "Post-processor: scores rounded to decimals places. Its gradient is zero: a naive attack gets nothing, the label does not change.",
            ko: "후처리: 점수를 소수 decimals자리로 반올림합니다. 그래디언트가 0이라 단순한 공격은 아무것도 얻지 못하며, 레이블은 바뀌지 않습니다.",
        }),
        "class-labels" => ("ClassLabels", "never", Help {
            en: "Post-processor: reports only the predicted label (one-hot). Hides every score; label-only attacks (HopSkipJump) and gradients taken before it still work.",
            ko: "후처리: 예측 레이블만 원-핫으로 알립니다. 점수를 모두 숨기지만, 레이블만 쓰는 공격(HopSkipJump)과 그 앞에서 잰 그래디언트는 여전히 통합니다.",
        }),
        _ => ("", "never", Help { en: "", ko: "" }),
    }
}
