print("asset-sidecar")
